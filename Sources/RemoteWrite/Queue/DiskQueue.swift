import Foundation

/// The bounded on-disk queue of batches waiting to be sent: segment files of framed records under
/// one directory, oldest first, and a cursor naming the first record not yet acknowledged.
///
/// - Bounded: when an append takes the files past `maximumBytes`, the oldest segments are deleted,
///   and their unsent samples counted in ``AppendOutcome/droppedSamples``.
/// - Crash-safe: a record is written in one `write(2)` and carries a CRC; recovery keeps every
///   whole record and cuts a torn tail. With `syncEveryAppend` each append is fsynced, so a machine
///   crash loses nothing appended; without it, what the kernel had not written yet.
/// - At least once: the cursor is rewritten (not fsynced) after each acknowledgement, so a crash can
///   make the last batches be sent again, never skipped.
///
/// Not thread-safe: the pipeline keeps it under a lock.
struct DiskQueue {
    /// What an append did.
    struct AppendOutcome: Sendable, Hashable {
        /// Unsent samples deleted to make room (or the batch itself when larger than the whole queue).
        var droppedSamples = 0
    }

    /// What recovery found when the queue was opened.
    struct Recovery: Sendable, Hashable {
        /// Bytes cut from torn segment tails.
        var bytesCut = 0
        /// Segment files with a bad header, deleted.
        var segmentsDiscarded = 0
        /// Batches found waiting.
        var batchesWaiting = 0
    }

    /// One batch waiting, as ``peek()`` returns it.
    struct Batch: Sendable, Hashable {
        /// The record's segment and its offset there: what ``acknowledge(_:)`` is given back.
        var position: Position
        var record: QueueRecord
    }

    /// Where a record sits.
    struct Position: Sendable, Hashable, Comparable {
        var segment: UInt64
        var offset: Int

        static func < (lhs: Position, rhs: Position) -> Bool {
            (lhs.segment, lhs.offset) < (rhs.segment, rhs.offset)
        }
    }

    private struct Entry {
        var offset: Int
        var size: Int
        var samples: Int
        var oldest: Int64
    }

    private struct Segment {
        var sequence: UInt64
        var entries: [Entry] = []
        var bytes = DiskQueue.magic.count
    }

    static let magic: [UInt8] = Array("ISPWRWQ1".utf8)
    static let segmentSuffix = ".rwq"
    static let cursorName = "cursor"

    let directory: String
    let maximumBytes: Int
    let segmentBytes: Int
    let syncEveryAppend: Bool
    private(set) var recovery = Recovery()

    private var segments: [Segment] = []
    /// Index in `segments.first!.entries` of the first unacknowledged record (acknowledged segments
    /// are deleted, so the cursor is always in the first segment).
    private var cursorEntry = 0
    private var activeDescriptor: Int32 = -1

    /// Opens (creating) the queue in `directory`, recovering what a previous run left.
    ///
    /// - Parameters:
    ///   - maximumBytes: the most the segment files may take; at least 64 KiB.
    ///   - syncEveryAppend: fsync after every append.
    init(directory: String, maximumBytes: Int, syncEveryAppend: Bool) throws(QueueError) {
        self.directory = directory
        self.maximumBytes = max(maximumBytes, 64 << 10)
        // Eight segments or more per queue, so that dropping the oldest frees at most an eighth.
        segmentBytes = min(max(self.maximumBytes / 8, 8 << 10), 16 << 20)
        self.syncEveryAppend = syncEveryAppend
        try QueueFiles.createDirectory(directory)
        try recover()
    }

    // MARK: - Figures

    /// Bytes the segment files take.
    var bytes: Int { segments.reduce(0) { $0 + $1.bytes } }

    /// Batches not yet acknowledged.
    var batchesWaiting: Int {
        segments.reduce(0) { $0 + $1.entries.count } - cursorEntry
    }

    /// Samples not yet acknowledged.
    var samplesWaiting: Int {
        var total = 0
        for (index, segment) in segments.enumerated() {
            let entries = index == 0 ? segment.entries.dropFirst(cursorEntry) : segment.entries[...]
            total += entries.reduce(0) { $0 + $1.samples }
        }
        return total
    }

    /// The oldest sample time (Unix ms) of the first unacknowledged batch.
    var oldestWaitingMilliseconds: Int64? {
        guard let segment = segments.first, cursorEntry < segment.entries.count else { return nil }
        return segment.entries[cursorEntry].oldest
    }

    // MARK: - Appending

    /// Appends `record`, then deletes the oldest segments while the queue is over its bound.
    mutating func append(_ record: QueueRecord) throws(QueueError) -> AppendOutcome {
        var outcome = AppendOutcome()
        let encoded = record.encoded
        if encoded.count + Self.magic.count > maximumBytes {
            outcome.droppedSamples = record.samples
            return outcome
        }
        if segments.isEmpty || segments[segments.count - 1].bytes + encoded.count > segmentBytes
            && !segments[segments.count - 1].entries.isEmpty
        {
            try startSegment()
        }
        let path = self.path(of: segments[segments.count - 1].sequence)
        try QueueFiles.write(activeDescriptor, encoded, path: path)
        if syncEveryAppend { try QueueFiles.sync(activeDescriptor, path: path) }
        let last = segments.count - 1
        segments[last].entries.append(Entry(offset: segments[last].bytes, size: encoded.count, samples: record.samples,
                                            oldest: record.oldestMilliseconds))
        segments[last].bytes += encoded.count
        while bytes > maximumBytes && segments.count > 1 {
            outcome.droppedSamples += dropOldestSegment()
        }
        return outcome
    }

    /// Flushes the active segment to disk (fsync), whatever the policy: at shutdown.
    func sync() throws(QueueError) {
        guard activeDescriptor >= 0, let last = segments.last else { return }
        try QueueFiles.sync(activeDescriptor, path: path(of: last.sequence))
    }

    /// Closes the active segment's file.
    mutating func close() {
        if activeDescriptor >= 0 { QueueFiles.close(activeDescriptor) }
        activeDescriptor = -1
    }

    // MARK: - Reading and acknowledging

    /// The first batch not yet acknowledged, read from its segment.
    func peek() throws(QueueError) -> Batch? {
        guard let segment = segments.first, cursorEntry < segment.entries.count else { return nil }
        let entry = segment.entries[cursorEntry]
        let path = self.path(of: segment.sequence)
        let bytes = try QueueFiles.read(path, offset: entry.offset, count: entry.size)
        guard let record = QueueRecord.decode(bytes[...]) else {
            throw QueueError("\(path): the record at \(entry.offset) changed on disk since it was written")
        }
        return Batch(position: Position(segment: segment.sequence, offset: entry.offset), record: record)
    }

    /// Marks the batch at `position` as done (sent, or refused for good); a segment whose batches
    /// are all done is deleted. A position the queue already dropped (full) is ignored.
    mutating func acknowledge(_ position: Position) {
        guard let segment = segments.first, cursorEntry < segment.entries.count,
              segment.sequence == position.segment, segment.entries[cursorEntry].offset == position.offset
        else { return }
        cursorEntry += 1
        discardFinishedSegments()
        writeCursor()
    }

    /// Acknowledges the first batch whatever it holds (it could not be read); returns its samples.
    mutating func skipHead() -> Int {
        guard let segment = segments.first, cursorEntry < segment.entries.count else { return 0 }
        let entry = segment.entries[cursorEntry]
        acknowledge(Position(segment: segment.sequence, offset: entry.offset))
        return entry.samples
    }

    // MARK: - Private

    private func path(of sequence: UInt64) -> String {
        directory + "/" + String(format: "%020llu", sequence) + Self.segmentSuffix
    }

    private mutating func startSegment() throws(QueueError) {
        close()
        let sequence = (segments.last?.sequence ?? 0) + 1
        let path = self.path(of: sequence)
        activeDescriptor = try QueueFiles.openForAppend(path)
        try QueueFiles.write(activeDescriptor, Self.magic, path: path)
        segments.append(Segment(sequence: sequence))
    }

    /// Deletes the oldest segment; returns its samples that were not acknowledged.
    private mutating func dropOldestSegment() -> Int {
        let oldest = segments.removeFirst()
        QueueFiles.remove(path(of: oldest.sequence))
        let unsent = oldest.entries.dropFirst(cursorEntry).reduce(0) { $0 + $1.samples }
        cursorEntry = 0
        writeCursor()
        return unsent
    }

    /// The cursor file: the first unacknowledged record's segment (UInt64 LE) and offset (UInt64 LE).
    /// Not fsynced: a stale cursor only sends some batches twice.
    private func writeCursor() {
        guard let segment = segments.first else { return }
        let offset = cursorEntry < segment.entries.count ? segment.entries[cursorEntry].offset : segment.bytes
        var bytes: [UInt8] = []
        withUnsafeBytes(of: segment.sequence.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt64(offset).littleEndian) { bytes += $0 }
        try? QueueFiles.replace(directory + "/" + Self.cursorName, with: bytes)
    }

    private mutating func recover() throws(QueueError) {
        let sequences = try QueueFiles.names(in: directory)
            .filter { $0.hasSuffix(Self.segmentSuffix) }
            .compactMap { UInt64($0.dropLast(Self.segmentSuffix.count)) }
            .sorted()
        for sequence in sequences {
            let path = self.path(of: sequence)
            let bytes = try QueueFiles.readAll(path)
            guard bytes.count >= Self.magic.count, Array(bytes[0..<Self.magic.count]) == Self.magic else {
                QueueFiles.remove(path)
                recovery.segmentsDiscarded += 1
                continue
            }
            var segment = Segment(sequence: sequence)
            var offset = Self.magic.count
            while offset < bytes.count, let record = QueueRecord.decode(bytes[offset...]) {
                let size = QueueRecord.headerSize + record.payload.count
                segment.entries.append(Entry(offset: offset, size: size, samples: record.samples,
                                             oldest: record.oldestMilliseconds))
                offset += size
            }
            if offset < bytes.count {
                try QueueFiles.truncate(path, to: offset)
                recovery.bytesCut += bytes.count - offset
            }
            segment.bytes = offset
            segments.append(segment)
        }
        applyCursor()
        recovery.batchesWaiting = batchesWaiting
        // Appends go to a fresh segment: the last one may end where a torn record was cut.
        try startSegment()
        discardFinishedSegments()
    }

    /// Deletes leading segments every record of which was acknowledged (the active one stays).
    private mutating func discardFinishedSegments() {
        while segments.count > 1 && cursorEntry == segments[0].entries.count {
            QueueFiles.remove(path(of: segments.removeFirst().sequence))
            cursorEntry = 0
        }
    }

    /// Places the cursor where the cursor file says, dropping segments before it.
    private mutating func applyCursor() {
        guard let bytes = try? QueueFiles.readAll(directory + "/" + Self.cursorName), bytes.count == 16 else { return }
        let sequence = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let offset = Int(bytes[8..<16].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        while let first = segments.first, first.sequence < sequence {
            QueueFiles.remove(path(of: first.sequence))
            segments.removeFirst()
        }
        guard let first = segments.first, first.sequence == sequence else { return }
        cursorEntry = first.entries.firstIndex { $0.offset >= offset } ?? first.entries.count
    }
}
