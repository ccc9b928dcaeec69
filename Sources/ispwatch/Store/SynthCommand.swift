import ArgumentParser
import Foundation
import SeriesStore
import WatchCore

/// `ispwatch synth DIR`: fills a new store with realistic, reproducible probe history.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate realistic probe history into a new store, for tests and benchmarks.",
        discussion: """
            Targets alternate DNS and HTTP and are spread over providers. Each has a lognormal latency \
            (its own median and spread) with a diurnal swing, scheduler jitter of a few ms, rare bursty \
            outages, and incidents that hit every target of one provider at once. The same options and \
            seed give the same history. Results are appended slot by slot, as a scheduler would, and \
            every segment is sealed at the end.

            Example:
              $ ispwatch synth big --targets 1000 --days 7 --interval 30 --start 2027-02-01T00:00Z
              synth: 1,000 targets × 20,160 slots = 20,160,000 results in big
                (15.1 s, 1.3M results/s)

            Exit status: 0 ok, 1 the store could not be written, 2 usage error (or DIR already holds series).
            """
    )

    @OptionGroup var store: StoreDirectoryOptions

    @Option(help: "Number of targets (one series each).")
    var targets: Int

    @Option(help: "Days of history per target.")
    var days: Double

    @Option(help: ArgumentHelp("Seconds between two probes of a target.", valueName: "seconds"))
    var interval: Double

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 1

    @Option(help: "Number of providers the targets are spread over.")
    var providers: Int = 8

    @Option(help: ArgumentHelp("The first scheduled slot, RFC 3339 (default: midnight UTC, --days before today's).",
                               valueName: "time"))
    var start: CommandLineTime?

    @Flag(help: "Leave out phase timings (total latency only).")
    var noPhases = false

    /// More results than this are refused: they would not fit a disk by mistake.
    static let resultLimit = 10_000_000_000

    var intervalMillis: Int64 { Int64((interval * 1_000).rounded()) }
    var slotsPerTarget: Int { Int((days * 86_400_000 / Double(intervalMillis)).rounded(.down)) }

    func validate() throws {
        guard targets > 0 else { throw ValidationError("--targets must be at least 1") }
        guard providers > 0 else { throw ValidationError("--providers must be at least 1") }
        guard days > 0, days.isFinite else { throw ValidationError("--days must be positive") }
        guard interval >= 0.001, interval.isFinite else { throw ValidationError("--interval must be at least 0.001 seconds") }
        guard slotsPerTarget > 0 else { throw ValidationError("--days \(days) holds no --interval \(interval) slot") }
        let (total, overflow) = targets.multipliedReportingOverflow(by: slotsPerTarget)
        guard !overflow, total <= Self.resultLimit else {
            throw ValidationError("\(targets) targets × \(slotsPerTarget) slots is more than \(Self.resultLimit) results")
        }
    }

    func run() throws {
        try CommandDiagnostics.reportingFailures(command: "synth") {
            if FileManager.default.fileExists(atPath: store.directory),
               !(try StoreReader(directory: store.directory).series.isEmpty) {
                throw CommandFailure(message: "\(store.directory) already holds series; synth writes into a new or empty directory",
                                     exitCode: 2)
            }
            var configuration = SyntheticHistory.Configuration(
                targets: targets, startMillis: startMillis, slotsPerTarget: slotsPerTarget)
            configuration.intervalMillis = intervalMillis
            configuration.seed = seed
            configuration.providers = providers
            configuration.includesPhases = !noPhases
            let history = SyntheticHistory(configuration)

            var options = StoreOptions()
            // Generated data is regenerated rather than recovered: sync once at the end.
            options.syncOnFlush = false
            options.flushRecordCount = 65_536
            let writer = try StoreWriter(directory: store.directory, options: options)
            let ids = try history.series().map { try writer.register($0.key, metadata: $0.metadata) }
            let total = targets * slotsPerTarget
            var progress = ProgressLine(label: "synth", unit: "results")
            var batch: [StoredResult] = []
            batch.reserveCapacity(8_192)
            var appended = 0
            try history.forEachResult(seriesIDs: ids) { result in
                batch.append(result)
                if batch.count == 8_192 {
                    try writer.append(contentsOf: batch)
                    appended += batch.count
                    batch.removeAll(keepingCapacity: true)
                    progress.update(done: appended, total: total)
                }
            }
            try writer.append(contentsOf: batch)
            progress.show("sealing…")
            try writer.sealActiveSegment()
            try writer.sealPendingSegments()
            try writer.close()
            progress.finish()
            let seconds = max(progress.elapsed.seconds, 1e-3)
            print("synth: \(CommandDiagnostics.grouped(targets)) targets × \(CommandDiagnostics.grouped(slotsPerTarget)) slots = \(CommandDiagnostics.grouped(total)) results in \(store.directory) (\(String(format: "%.1f", seconds)) s, \(ProgressLine.compact(Double(total) / seconds)) results/s)")
        }
    }

    private var startMillis: Int64 {
        if let start { return start.timestamp.millisecondsSinceEpoch }
        let today = WallClock.now().millisecondsSinceEpoch / 86_400_000 * 86_400_000
        return today - Int64((days * 86_400_000).rounded())
    }
}
