import Benchmark
import Foundation
import SeriesStore
import WatchCore

// The series store (Sources/SeriesStore, docs/FORMAT.md) on synthetic history: how fast results go
// in, how long a restart takes, how fast sealed history reads back and how small it is on disk.
// Every fixture is built in a setup hook and removed in the teardown; each benchmark stops after
// 10 s or a few iterations. The 30-day size measurement (86M results) is too big for an
// iteration and stays in `swift run -c release store-bench size`.

let benchmarks: @Sendable () -> Void = {
    appendBenchmark()
    replayBenchmark()
    scanBenchmarks()
    sealedSizeBenchmarks()
}

/// Sealed bytes per result, reported ×1,000 because custom metrics are integers: 3412 = 3.412 B.
var sealedBytesPerThousandResults: BenchmarkMetric { BenchmarkMetric.custom("sealed bytes per 1k results", polarity: .prefersSmaller, useScalingFactor: false) }
/// Sealed results read per second by one thread, in thousands.
var scannedThousandsPerSecond: BenchmarkMetric { BenchmarkMetric.custom("scan k results/s", polarity: .prefersLarger, useScalingFactor: false) }

/// (1) One million single-result `append` calls and the final flush, without fsync. With the
/// `.mega` scaling factor every metric is per result: throughput in millions of results per
/// second, times in nanoseconds per append, mallocs per append.
func appendBenchmark() {
    let directory = StoreFixtures.directory("append")
    Benchmark(
        "append 1M results, no fsync",
        configuration: .init(
            metrics: [.wallClock, .throughput, .cpuTotal, .mallocCountTotal],
            timeUnits: .nanoseconds, scalingFactor: .mega, maxDuration: .seconds(10), maxIterations: 10),
        closure: { (benchmark: Benchmark, fixture: AppendFixture) throws in
            StoreFixtures.remove(directory)
            let writer = try StoreWriter(directory: directory, options: StoreFixtures.quietOptions())
            // Registration (one index write) and file creation are not what this measures.
            _ = try StoreFixtures.register(fixture.history, in: writer)
            benchmark.startMeasurement()
            for index in benchmark.scaledIterations { try writer.append(fixture.results[index]) }
            _ = try writer.flush()
            benchmark.stopMeasurement()
            try writer.close()
            StoreFixtures.remove(directory)
        },
        setup: {
            // 10,000 targets × 100 slots = the 1,000,000 results `.mega` iterates over. Series ids
            // are assigned in registration order from an empty store, so a throwaway store gives
            // the ids every fresh iteration will see.
            let history = StoreFixtures.history(targets: 10_000, slots: 100)
            StoreFixtures.remove(directory)
            let writer = try StoreWriter(directory: directory, options: StoreFixtures.quietOptions())
            let ids = try StoreFixtures.register(history, in: writer)
            try writer.close()
            StoreFixtures.remove(directory)
            let results = StoreFixtures.results(of: history, seriesIDs: ids)
            precondition(results.count == BenchmarkScalingFactor.mega.rawValue, "the append fixture must hold 1M results")
            return AppendFixture(history: history, results: results)
        },
        teardown: { StoreFixtures.remove(directory) })
}

/// (2) Opening a store whose active segment holds 10,000 targets × 2 h × 30 s (2.4M results):
/// the recovery scan a restart pays before it can append.
func replayBenchmark() {
    let directory = StoreFixtures.directory("replay")
    Benchmark(
        "replay active segment 10k targets × 2 h (2.4M results)",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal],
            timeUnits: .milliseconds, maxDuration: .seconds(10), maxIterations: 10),
        closure: { (benchmark: Benchmark, store: StoreOnDisk) throws in
            let writer = try StoreWriter(directory: store.directory, options: StoreFixtures.quietOptions())
            benchmark.stopMeasurement()
            // close() flushes nothing (no appends) and keeps the segment active for the next iteration.
            try writer.close()
            precondition(writer.recovery.recoveredRecords == store.results,
                         "replay recovered \(writer.recovery.recoveredRecords) of \(store.results) results")
        },
        setup: {
            StoreFixtures.remove(directory)
            let history = StoreFixtures.history(targets: 10_000, slots: 240)
            try StoreFixtures.fill(directory, with: history, options: StoreFixtures.quietOptions()).close()
            return StoreOnDisk(directory: directory, results: 10_000 * 240)
        },
        teardown: { StoreFixtures.remove(directory) })
}

/// (3) Reading every sealed block of 1,000 targets × 3 days (8.64M results, with phases) on one
/// thread: all columns, then only what availability and latency figures need.
func scanBenchmarks() {
    let selections: [(label: String, columns: BlockColumnSelection)] = [
        ("all columns", .all),
        ("times+outcomes+latency", [.times, .outcomes, .latency]),
    ]
    for (label, columns) in selections {
        let directory = StoreFixtures.directory("scan-\(label)")
        Benchmark(
            "scan sealed 1k targets × 3 days, \(label)",
            configuration: .init(
                metrics: [.wallClock, .cpuTotal, scannedThousandsPerSecond],
                timeUnits: .milliseconds, units: [scannedThousandsPerSecond: .count],
                maxDuration: .seconds(10), maxIterations: 10),
            closure: { (benchmark: Benchmark, store: StoreOnDisk) throws in
                let reader = try StoreReader(directory: store.directory)
                var latency: UInt64 = 0
                var successes = 0
                let clock = ContinuousClock()
                let started = clock.now
                let report = try reader.scanSealedBlocks(columns: columns) { block in
                    // Touch the decoded columns so that decoding them cannot be skipped.
                    block.latencyMicros.withUnsafeBufferPointer { values in
                        for value in values { latency &+= UInt64(value) }
                    }
                    block.success.withUnsafeBufferPointer { values in
                        for value in values { successes &+= Int(value) }
                    }
                }
                let elapsed = (clock.now - started) / .milliseconds(1)
                benchmark.stopMeasurement()
                precondition(report.results == store.results, "scanned \(report.results) of \(store.results) results")
                blackHole(latency &+ UInt64(successes))
                benchmark.measurement(scannedThousandsPerSecond, Int(Double(report.results) / elapsed))
            },
            setup: {
                StoreFixtures.remove(directory)
                let history = StoreFixtures.history(targets: 1_000, slots: 3 * StoreFixtures.slotsPerDay)
                var options = StoreOptions()
                options.syncOnFlush = false
                // Default segment size and block capacity: the files a running store would seal.
                let writer = try StoreFixtures.fill(directory, with: history, options: options)
                try writer.sealActiveSegment()
                _ = try writer.sealPendingSegments()
                try writer.close()
                return StoreOnDisk(directory: directory, results: 1_000 * 3 * StoreFixtures.slotsPerDay)
            },
            teardown: { StoreFixtures.remove(directory) })
    }
}

/// (4) Sealing one day of 1,000 targets (2.88M results) from the active segment into per-series
/// files: wall time of the seal, and the sealed size per result (headers, indexes and sketches
/// included), for the base columns alone and with phase timings.
func sealedSizeBenchmarks() {
    for phases in [false, true] {
        let label = phases ? "with phases" : "base columns"
        let directory = StoreFixtures.directory("seal-\(phases ? "phases" : "base")")
        Benchmark(
            "seal 1k targets × 1 day (2.88M results), \(label)",
            configuration: .init(
                metrics: [.wallClock, .cpuTotal, sealedBytesPerThousandResults],
                timeUnits: .milliseconds, units: [sealedBytesPerThousandResults: .count],
                maxDuration: .seconds(10), maxIterations: 3),
            closure: { (benchmark: Benchmark, history: SyntheticHistory) throws in
                StoreFixtures.remove(directory)
                let writer = try StoreFixtures.fill(directory, with: history, options: StoreFixtures.quietOptions())
                // Appending is the append benchmark's business; this one measures from here.
                benchmark.startMeasurement()
                try writer.sealActiveSegment()
                _ = try writer.sealPendingSegments()
                benchmark.stopMeasurement()
                try writer.close()
                let statistics = try SeriesStore.statistics(directory: directory)
                precondition(statistics.sealedResults == 1_000 * StoreFixtures.slotsPerDay && statistics.activeResults == 0,
                             "sealed \(statistics.sealedResults) results, \(statistics.activeResults) left active")
                benchmark.measurement(sealedBytesPerThousandResults, Int((statistics.sealedBytesPerResult * 1_000).rounded()))
                StoreFixtures.remove(directory)
            },
            setup: { StoreFixtures.history(targets: 1_000, slots: StoreFixtures.slotsPerDay, phases: phases) },
            teardown: { StoreFixtures.remove(directory) })
    }
}
