// A writer process for the crash test: appends the numbered result sequence to a store, flushing
// in batches, and after each flush prints `flushed <total>` on stdout, where <total> counts every
// result in the store. The test kills it with SIGKILL at a random moment and checks the store.
//
// Usage: store-crash-writer DIRECTORY SEED
#if canImport(Glibc)
import Glibc
#endif
import SeriesStore
import WatchCore

let arguments = CommandLine.arguments
guard arguments.count == 3, let seed = UInt64(arguments[2]) else {
    say("usage: store-crash-writer DIRECTORY SEED", to: 2)
    exit(2)
}
let directory = arguments[1]

/// Writes a line to a descriptor with one write(2), so that a kill never leaves half a line counted.
func say(_ line: String, to descriptor: Int32 = 1) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}

do {
    var options = StoreOptions()
    // SIGKILL does not lose the page cache, so the crash test needs no fsync; small segments make
    // sealing (and crashes during sealing) frequent.
    options.syncOnFlush = false
    options.maximumSegmentBytes = 96 << 10
    options.flushRecordCount = 1_000_000
    options.blockCapacity = 128
    let writer = try StoreWriter(directory: directory, options: options)
    let ids = try (0..<NumberedResults.seriesCount).map { index in
        try writer.register(SeriesKey(target: TargetID("crash-\(index)"), vantage: "v", family: .v4))
    }
    // Continue the sequence where the surviving store ends.
    var next = try StoreReader(directory: directory).scan { _ in }.results
    say("flushed \(next)")
    var random = SplitMix64(seed: seed)
    while true {
        let batch = 1 + Int(random.next() % 300)
        for _ in 0..<batch {
            try writer.append(NumberedResults.result(at: next, seed: 7, seriesIDs: ids))
            next += 1
        }
        try writer.flush()
        say("flushed \(next)")
    }
} catch {
    say("store-crash-writer: \(error)", to: 2)
    exit(1)
}
