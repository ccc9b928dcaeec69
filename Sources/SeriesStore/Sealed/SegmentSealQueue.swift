import Synchronization
import WatchCore

/// What sealing one segment did.
public struct SealReport: Sendable, Hashable {
    /// The segment's sequence number.
    public var sequence: UInt64
    /// Results sealed.
    public var results: Int
    /// Series they belong to.
    public var series: Int
    /// Blocks written.
    public var blocks: Int
    /// Size of the sealed file, bytes.
    public var sealedBytes: Int
    /// Size of the active segment it replaced, bytes.
    public var activeBytes: Int
    /// Bytes of the active segment that could not be read (a damaged frame and what followed).
    public var droppedBytes: Int
}

/// The segments waiting to be sealed, and the sealing itself: read the closed active segment,
/// write the sealed file under a temporary name, fsync it, rename it into place, fsync the
/// directory, then remove the active segment. A reader sees either the active segment or the
/// sealed file, never a half-written file.
final class SegmentSealQueue: Sendable {
    private struct Queue {
        var pending: [UInt64] = []
        var inFlight = 0
        var lastError: StoreError?
    }

    let layout: StoreLayout
    let blockCapacity: Int
    private let queue = Mutex(Queue())

    init(layout: StoreLayout, blockCapacity: Int) {
        self.layout = layout
        self.blockCapacity = blockCapacity
    }

    func enqueue(_ sequence: UInt64) {
        queue.withLock { $0.pending.append(sequence) }
    }

    var lastError: StoreError? { queue.withLock { $0.lastError } }

    /// Seals queued segments one at a time until none is left; with `waitForOthers`, also waits for
    /// seals other threads have in flight.
    func sealAll(waitForOthers: Bool) throws(StoreError) -> [SealReport] {
        var reports: [SealReport] = []
        while true {
            let next = queue.withLock { queue -> UInt64?? in
                if !queue.pending.isEmpty {
                    queue.inFlight += 1
                    return .some(queue.pending.removeFirst())
                }
                return queue.inFlight > 0 ? .some(nil) : nil
            }
            guard let next else { return reports }
            guard let sequence = next else {
                guard waitForOthers else { return reports }
                usleepMillisecond()
                continue
            }
            do {
                reports.append(try seal(sequence))
                queue.withLock { $0.inFlight -= 1 }
            } catch {
                queue.withLock {
                    $0.inFlight -= 1
                    $0.pending.insert(sequence, at: 0)
                    $0.lastError = error
                }
                throw error
            }
        }
    }

    private func usleepMillisecond() {
        var request = timespec(tv_sec: 0, tv_nsec: 1_000_000)
        _ = nanosleep(&request, nil)
    }

    /// Seals one closed active segment.
    func seal(_ sequence: UInt64) throws(StoreError) -> SealReport {
        let activePath = layout.activePath(sequence)
        let file = try StoreFile(path: activePath, mode: .readOnly)
        let temporaryPath = layout.temporaryPath(sequence)
        try FileSystem.remove(temporaryPath)
        // The segment's bytes and their index live only while the sealed file is written.
        let (activeBytes, validEnd, results, built) = try { () throws(StoreError) -> (Int, Int, Int, (bytes: Int, blocks: Int, series: Int)) in
            let bytes = try file.readAll()
            let temporary = try StoreFile(path: temporaryPath, mode: .createNew)
            let records = bytes.withUnsafeBytes { SegmentRecords(segment: $0) }
            let built = try bytes.withRawBytes { (segment) throws(StoreError) in
                try SealedFileWriter.write(
                    sequence: sequence, records: records, segment: segment, blockCapacity: blockCapacity,
                    createdMillis: records.createdMillis ?? WallClock.now().millis, to: temporary)
            }
            try temporary.sync()
            return (bytes.count, records.validEnd, records.count, built)
        }()
        try FileSystem.move(temporaryPath, to: layout.sealedPath(sequence))
        try FileSystem.syncDirectory(layout.directory)
        try FileSystem.remove(activePath)
        try FileSystem.syncDirectory(layout.directory)
        return SealReport(
            sequence: sequence, results: results, series: built.series, blocks: built.blocks,
            sealedBytes: built.bytes, activeBytes: activeBytes, droppedBytes: activeBytes - validEnd)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
