// Measures the series store on synthetic history: append rate, replay time, sealed bytes per
// result and scan rate. Build in release mode:
//
//   swift run -c release store-bench append  [--targets N] [--slots S]
//   swift run -c release store-bench replay  [--targets N] [--slots S]     (default 10k × 240 = 2 h)
//   swift run -c release store-bench size    [--targets N] [--days D] [--no-phases] [--keep DIR]
//   swift run -c release store-bench scan    DIR [--threads T]
//   swift run -c release store-bench seal    [--targets N] [--megabytes M]  (one default 64 MiB segment)
//   swift run -c release store-bench crc
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SeriesStore
import Synchronization
import WatchCore

func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count,
          let value = Int(CommandLine.arguments[index + 1]) else { return fallback }
    return value
}

func stringOption(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[index + 1]
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return elapsed.seconds
}

func temporaryDirectory(_ label: String) -> String {
    let path = NSTemporaryDirectory() + "store-bench-\(label)-\(getpid())"
    try? FileManager.default.removeItem(atPath: path)
    return path
}

func register(_ writer: StoreWriter, _ history: SyntheticHistory) throws -> [SeriesID] {
    try history.series().map { try writer.register($0.key, metadata: $0.metadata) }
}

let start: Int64 = 1_800_000_000_000
let mode = CommandLine.arguments.dropFirst().first ?? "help"

switch mode {
case "append":
    let targets = option("--targets", 10_000), slots = option("--slots", 500)
    let history = SyntheticHistory(.init(targets: targets, startMillis: start, slotsPerTarget: slots))
    let directory = temporaryDirectory("append")
    var options = StoreOptions()
    options.syncOnFlush = CommandLine.arguments.contains("--fsync")
    options.sealsInBackground = false
    options.maximumSegmentBytes = 1 << 30
    let writer = try StoreWriter(directory: directory, options: options)
    let ids = try register(writer, history)
    var results: [StoredResult] = []
    results.reserveCapacity(targets * slots)
    history.forEachResult(seriesIDs: ids) { results.append($0) }
    let elapsed = try seconds {
        for result in results { try writer.append(result) }
        try writer.flush()
    }
    let stats = try SeriesStore.statistics(directory: directory)
    print("append: \(results.count) results one call each in \(String(format: "%.3f", elapsed)) s = "
          + "\(String(format: "%.2f", Double(results.count) / elapsed / 1e6))M results/s; "
          + "active segment \(stats.activeBytes / (1 << 20)) MiB (\(String(format: "%.1f", Double(stats.activeBytes) / Double(results.count))) B/result), fsync \(options.syncOnFlush)")
    try writer.close()
    try? FileManager.default.removeItem(atPath: directory)

case "replay":
    let targets = option("--targets", 10_000), slots = option("--slots", 240)
    let history = SyntheticHistory(.init(targets: targets, startMillis: start, slotsPerTarget: slots))
    let directory = temporaryDirectory("replay")
    var options = StoreOptions()
    options.syncOnFlush = false
    options.sealsInBackground = false
    options.maximumSegmentBytes = 1 << 30
    do {
        let writer = try StoreWriter(directory: directory, options: options)
        let ids = try register(writer, history)
        var batch: [StoredResult] = []
        history.forEachResult(seriesIDs: ids) { batch.append($0) }
        try writer.append(contentsOf: batch)
        try writer.close()
    }
    var report: RecoveryReport?
    let elapsed = try seconds {
        let writer = try StoreWriter(directory: directory, options: options)
        report = writer.recovery
        try writer.close()
    }
    let stats = try SeriesStore.statistics(directory: directory)
    print("replay: reopened an active segment of \(report?.recoveredRecords ?? 0) results (\(stats.activeBytes / (1 << 20)) MiB) in "
          + "\(String(format: "%.3f", elapsed)) s")
    try? FileManager.default.removeItem(atPath: directory)

case "size":
    let targets = option("--targets", 1_000), days = option("--days", 30)
    var configuration = SyntheticHistory.Configuration(targets: targets, startMillis: start, slotsPerTarget: days * 2_880)
    configuration.includesPhases = !CommandLine.arguments.contains("--no-phases")
    let history = SyntheticHistory(configuration)
    let directory = stringOption("--keep") ?? temporaryDirectory("size")
    var options = StoreOptions()
    options.syncOnFlush = false
    let writer = try StoreWriter(directory: directory, options: options)
    let ids = try register(writer, history)
    var batch: [StoredResult] = []
    batch.reserveCapacity(100_000)
    var phaseValues = 0
    let elapsed = try seconds {
        try history.forEachResult(seriesIDs: ids) { result in
            batch.append(result)
            phaseValues += result.phases.presence.nonzeroBitCount
            if batch.count == 100_000 {
                try writer.append(contentsOf: batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try writer.append(contentsOf: batch)
        try writer.sealActiveSegment()
        try writer.sealPendingSegments()
    }
    try writer.close()
    let stats = try SeriesStore.statistics(directory: directory)
    print("size: \(targets) targets × \(days) days × 30 s = \(stats.sealedResults) results sealed in \(stats.sealedSegments) files, "
          + "\(stats.blocks) blocks, \(stats.sealedBytes) bytes = \(String(format: "%.3f", stats.sealedBytesPerResult)) B/result "
          + "(phases: \(String(format: "%.2f", Double(phaseValues) / Double(max(stats.sealedResults, 1)))) per result); "
          + "generate+append+seal \(String(format: "%.1f", elapsed)) s")
    if stringOption("--keep") == nil { try? FileManager.default.removeItem(atPath: directory) }

case "scan":
    guard CommandLine.arguments.count >= 3 else { print("scan DIR [--threads T]"); exit(2) }
    let directory = CommandLine.arguments[2]
    let threads = option("--threads", 2)
    let reader = try StoreReader(directory: directory)
    let sequences = try reader.segments().filter(\.isSealed).map(\.sequence)
    let selections: [(String, BlockColumnSelection)] = [("all columns", .all), ("times+outcomes+latency", [.times, .outcomes, .latency]), ("times+outcomes", [.times, .outcomes])]
    for round in 0..<4 {
        let (label, columns) = selections[max(0, round - 1)]
        let totals = Mutex<(results: Int, latency: UInt64)>((0, 0))
        let elapsed = seconds {
            DispatchQueue.concurrentPerform(iterations: threads) { part in
                let mine = Set(sequences.enumerated().filter { $0.offset % threads == part }.map(\.element))
                var latency: UInt64 = 0
                let report = try! reader.scanSealedBlocks(columns: columns, segments: mine) { block in
                    block.latencyMicros.withUnsafeBufferPointer { values in
                        for value in values { latency &+= UInt64(value) }
                    }
                }
                totals.withLock { $0.results += report.results; $0.latency &+= latency }
            }
        }
        let (count, latency) = totals.withLock { $0 }
        print("scan round \(round) (\(label)): \(count) results on \(threads) threads in \(String(format: "%.3f", elapsed)) s = "
              + "\(String(format: "%.1f", Double(count) / elapsed / 1e6))M results/s (latency checksum \(latency))")
    }

case "seal":
    // What sealing one full active segment costs while the daemon runs: its time, and the memory it
    // takes at its peak and keeps afterwards (from /proc: the peak is reset just before the seal).
    let targets = option("--targets", 100_000), megabytes = option("--megabytes", 64)
    let history = SyntheticHistory(.init(targets: targets, startMillis: start, slotsPerTarget: 1_000_000))
    let directory = temporaryDirectory("seal")
    var options = StoreOptions()
    options.syncOnFlush = false
    options.sealsInBackground = false
    options.maximumSegmentBytes = 1 << 40
    let writer = try StoreWriter(directory: directory, options: options)
    let ids = try register(writer, history)
    var batch: [StoredResult] = []
    batch.reserveCapacity(100_000)
    let segmentBytes = megabytes << 20
    var appended = 0
    do {
        try history.forEachResult(seriesIDs: ids) { result in
            batch.append(result)
            guard batch.count == batch.capacity else { return }
            try writer.append(contentsOf: batch)
            appended += batch.count
            batch.removeAll(keepingCapacity: true)
            try writer.flush()
            if activeSegmentBytes(directory) >= segmentBytes { throw CancellationError() }
        }
    } catch is CancellationError {}
    batch = []
    MemoryFigures.resetPeak()
    let before = MemoryFigures.current()
    let elapsed = try seconds {
        try writer.sealActiveSegment()
        _ = try writer.sealPendingSegments()
    }
    let after = MemoryFigures.current()
    let stats = try SeriesStore.statistics(directory: directory)
    print("seal: \(appended) results of \(targets) series (\(megabytes) MiB active segment) sealed in "
          + "\(String(format: "%.2f", elapsed)) s into \(stats.sealedBytes / (1 << 20)) MiB; resident MB before "
          + "\(before.residentMB), peak \(after.peakMB) (+\(after.peakMB - before.residentMB)), after \(after.residentMB)")
    try writer.close()
    try? FileManager.default.removeItem(atPath: directory)

case "crc":
    let bytes = (0..<(64 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
    var checksum: UInt32 = 0
    let elapsed = seconds { for _ in 0..<4 { checksum ^= CRC32C.checksum(bytes) } }
    print("crc32c: \(String(format: "%.2f", 4 * 64 / 1024 / elapsed)) GiB/s (\(checksum))")

default:
    print("usage: store-bench append|replay|size|scan|seal|crc … (see the comment at the top of main.swift)")
}

/// The size of the active segments (`.wal` files) in `directory`.
func activeSegmentBytes(_ directory: String) -> Int {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasSuffix(".wal") }.reduce(0) { total, name in
        let size = (try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size]) as? Int
        return total + (size ?? 0)
    }
}

/// The process's resident memory from /proc/self/status, in whole megabytes.
enum MemoryFigures {
    static func current() -> (residentMB: Int, peakMB: Int) {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func megabytes(_ field: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
                  let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return -1 }
            return kilobytes / 1024
        }
        return (megabytes("VmRSS"), megabytes("VmHWM"))
    }

    /// Starts the peak (VmHWM) over from the current resident size.
    static func resetPeak() {
        _ = try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }
}
