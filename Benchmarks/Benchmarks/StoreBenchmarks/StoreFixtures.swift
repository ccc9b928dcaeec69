import Foundation
import SeriesStore
import WatchCore

/// Stores and result sets the benchmarks read or write, built once per benchmark in its setup
/// hook (never in the measured closure) inside a temporary directory that the teardown removes.
enum StoreFixtures {
    /// The first synthetic probe time (ms); any fixed value works, a fixed one keeps runs comparable.
    static let startMillis: Int64 = 1_800_000_000_000
    /// Results per target per day at the 30 s interval every synthetic target uses.
    static let slotsPerDay = 2_880

    /// A directory for one benchmark, unique to this process so that concurrent runs do not meet.
    /// The same label gives the same path, so a teardown can find what its setup made.
    static func directory(_ label: String) -> String {
        NSTemporaryDirectory() + "ispwatch-store-benchmarks-\(label)-\(getpid())"
    }

    /// Removes `path` and everything under it; a missing path is fine (teardown after a failed setup).
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Options for a writer that neither fsyncs nor seals on its own, so that what a benchmark
    /// measures is only what it calls.
    static func quietOptions() -> StoreOptions {
        var options = StoreOptions()
        options.syncOnFlush = false
        options.sealsInBackground = false
        // One active segment for the whole fixture: rotation would otherwise start sealing work.
        options.maximumSegmentBytes = 1 << 30
        return options
    }

    /// Synthetic history for `targets` targets over `slots` 30-second slots each.
    static func history(targets: Int, slots: Int, phases: Bool = true) -> SyntheticHistory {
        var configuration = SyntheticHistory.Configuration(targets: targets, startMillis: startMillis, slotsPerTarget: slots)
        configuration.includesPhases = phases
        return SyntheticHistory(configuration)
    }

    /// Registers every series of `history` in `writer`, returning their ids in the history's order.
    static func register(_ history: SyntheticHistory, in writer: StoreWriter) throws -> [SeriesID] {
        try writer.register(history.series())
    }

    /// All results of `history`, materialized so that generating them is not part of a measurement.
    static func results(of history: SyntheticHistory, seriesIDs: [SeriesID]) -> [StoredResult] {
        var results: [StoredResult] = []
        results.reserveCapacity(history.configuration.targets * history.configuration.slotsPerTarget)
        history.forEachResult(seriesIDs: seriesIDs) { results.append($0) }
        return results
    }

    /// Opens a writer on `directory` and appends all of `history` in batches (bounded memory). The
    /// caller seals, closes or measures what comes next.
    static func fill(_ directory: String, with history: SyntheticHistory, options: StoreOptions) throws -> StoreWriter {
        let writer = try StoreWriter(directory: directory, options: options)
        let ids = try register(history, in: writer)
        var batch: [StoredResult] = []
        batch.reserveCapacity(100_000)
        try history.forEachResult(seriesIDs: ids) { result in
            batch.append(result)
            if batch.count == 100_000 {
                try writer.append(contentsOf: batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try writer.append(contentsOf: batch)
        return writer
    }
}

/// The result set of the append benchmark, with the series it belongs to.
struct AppendFixture: Sendable {
    let history: SyntheticHistory
    let results: [StoredResult]
}

/// A store on disk that a benchmark reads, and how many results it holds.
struct StoreOnDisk: Sendable {
    let directory: String
    let results: Int
}
