import WatchCore

/// The active segment file being appended to.
struct ActiveSegmentFile: Sendable {
    let file: StoreFile
    let sequence: UInt64
    let createdMillis: Int64
    /// Bytes on disk (header and flushed frames).
    var length: Int

    /// Creates a new, empty active segment with its header, durably.
    static func create(layout: StoreLayout, sequence: UInt64, syncs: Bool) throws(StoreError) -> ActiveSegmentFile {
        let path = layout.activePath(sequence)
        let file = try StoreFile(path: path, mode: .readWriteCreate)
        try file.truncate(to: 0)
        let created = WallClock.now().millis
        try file.write(FileHeader(kind: .activeSegment, sequence: sequence, createdMillis: created).encoded(), at: 0)
        if syncs {
            try file.sync()
            try FileSystem.syncDirectory(layout.directory)
        }
        return ActiveSegmentFile(file: file, sequence: sequence, createdMillis: created, length: FileHeader.length)
    }

    /// Reopens an active segment after a stop, cutting a torn or damaged tail.
    static func recover(path: String, sequence: UInt64, report: inout RecoveryReport) throws(StoreError) -> ActiveSegmentFile {
        let file = try StoreFile(path: path, mode: .readWriteCreate)
        let bytes = try file.readAll()
        let outcome = bytes.withUnsafeBytes { raw -> (FileHeader?, RecordFrame.Walk?) in
            guard let header = try? FileHeader.decode(raw, expecting: .activeSegment) else { return (nil, nil) }
            return (header, RecordFrame.walk(raw, from: FileHeader.length) { _, _, _ in })
        }
        guard let header = outcome.0, let walk = outcome.1 else {
            // The header itself is torn (a crash while creating the segment) or damaged: nothing after
            // it can be trusted to belong to this segment, so start the file over.
            report.droppedBytes = bytes.count
            report.dropReason = "bad segment header"
            try file.truncate(to: 0)
            let created = WallClock.now().millis
            try file.write(FileHeader(kind: .activeSegment, sequence: sequence, createdMillis: created).encoded(), at: 0)
            try file.sync()
            return ActiveSegmentFile(file: file, sequence: sequence, createdMillis: created, length: FileHeader.length)
        }
        report.recoveredRecords = walk.frames
        if walk.validEnd < bytes.count {
            report.droppedBytes = bytes.count - walk.validEnd
            report.dropReason = walk.stop?.humanDescription
            try file.truncate(to: walk.validEnd)
            try file.sync()
        }
        return ActiveSegmentFile(file: file, sequence: sequence, createdMillis: header.createdMillis, length: walk.validEnd)
    }
}

/// Appends registrations to the series index.
///
/// Registering needs the id of every key and a digest of each series' metadata (to notice a
/// change): the ``SeriesLookup``, built from the file on the first registration and kept until
/// ``releaseLookup()``. The metadata itself stays in the file. A daemon registers at start-up and on
/// reload only, so it lets the lookup go in between (12 MB at 100,000 series).
struct SeriesIndexWriter: Sendable {
    let file: StoreFile
    var end: Int
    /// The number of ids handed out; the next new series gets this one.
    var seriesCount: Int
    var lookup: SeriesLookup?
    let syncs: Bool

    mutating func register(_ key: SeriesKey, metadata: SeriesMetadata) throws(StoreError) -> SeriesID {
        try register([(key, metadata)])[0]
    }

    /// Registers several series with one write and one fsync (10,000 targets at start-up would
    /// otherwise cost 10,000 fsyncs).
    mutating func register(_ series: [(key: SeriesKey, metadata: SeriesMetadata)]) throws(StoreError) -> [SeriesID] {
        var lookup: SeriesLookup
        if let kept = self.lookup { lookup = kept } else { lookup = try SeriesLookup(file: file, end: end) }
        var writer = ByteWriter()
        var ids: [SeriesID] = []
        ids.reserveCapacity(series.count)
        var added: [(key: SeriesKey, id: SeriesID, digest: UInt64)] = []
        var nextID = SeriesID(seriesCount)
        var pending: [SeriesKey: (id: SeriesID, digest: UInt64)] = [:]
        for (key, metadata) in series {
            let digest = SeriesIndexFile.metadataDigest(metadata)
            let known = pending[key] ?? lookup.idsByKey[key].map { ($0, lookup.metadataDigests[Int($0)]) }
            if let known, known.digest == digest {
                ids.append(known.id)
                continue
            }
            let id = known?.id ?? nextID
            if id == nextID { nextID &+= 1 }
            pending[key] = (id, digest)
            SeriesIndexFile.encodeEntry(SeriesEntry(id: id, key: key, metadata: metadata), into: &writer)
            added.append((key, id, digest))
            ids.append(id)
        }
        if !added.isEmpty {
            try file.write(writer.bytes, at: end)
            // Durable before any result that refers to them can be.
            if syncs { try file.sync() }
            end += writer.count
            seriesCount = Int(nextID)
            for (key, id, digest) in added { lookup.record(key, id: id, digest: digest) }
        }
        self.lookup = lookup
        return ids
    }

    /// Frees the lookup; the next registration builds it again from the file.
    mutating func releaseLookup() {
        lookup = nil
    }
}

/// The id of every registered key and the digest of its latest metadata.
struct SeriesLookup: Sendable {
    private(set) var idsByKey: [SeriesKey: SeriesID] = [:]
    /// Indexed by id: writers hand ids out densely from 0.
    private(set) var metadataDigests: [UInt64] = []

    /// Reads the entries of the index file up to `end`.
    init(file: StoreFile, end: Int) throws(StoreError) {
        let bytes = try file.read(count: end, at: 0)
        try bytes.withRawBytes { (raw) throws(StoreError) in
            _ = try Self.walk(raw, path: file.path) { entry in
                record(entry.key, id: entry.id, digest: SeriesIndexFile.metadataDigest(entry.metadata))
            }
        }
    }

    /// Walks the index in `bytes`, calling `visit` with every entry.
    ///
    /// - Returns: how far the index is valid and the number of ids handed out.
    /// - Throws: `StoreError.corrupt` when an entry skips ids: writers hand them out densely from 0,
    ///   so such an id was not written by a writer (and would size the digest table by it).
    static func walk(
        _ bytes: UnsafeRawBufferPointer, path: String, visit: (SeriesEntry) -> Void = { _ in }
    ) throws(StoreError) -> (extent: SeriesIndexFile.Extent, seriesCount: Int) {
        var count = 0
        var outOfSequence: SeriesID?
        let extent = try SeriesIndexFile.walk(bytes, path: path) { entry in
            guard Int(entry.id) <= count else {
                outOfSequence = outOfSequence ?? entry.id
                return
            }
            if Int(entry.id) == count { count += 1 }
            visit(entry)
        }
        if let outOfSequence {
            throw StoreError.corrupt("series index entry: id \(outOfSequence) skips ids never registered", path: path)
        }
        return (extent, count)
    }

    mutating func record(_ key: SeriesKey, id: SeriesID, digest: UInt64) {
        idsByKey[key] = id
        if Int(id) == metadataDigests.count {
            metadataDigests.append(digest)
        } else {
            metadataDigests[Int(id)] = digest
        }
    }
}

/// Everything the writer's lock guards.
struct WriterState: Sendable {
    var active: ActiveSegmentFile
    var index: SeriesIndexWriter
    var pending = ByteWriter(capacity: 1 << 20)
    var bufferedRecords = 0
    var flushedRecords: UInt64 = 0
    var lastFlush = ContinuousClock.now
    var closed = false

    init(active: ActiveSegmentFile, index: SeriesIndexWriter) {
        self.active = active
        self.index = index
    }

    @inline(__always)
    mutating func buffer(_ result: StoredResult) {
        RecordFrame.append(kind: .result, to: &pending) { ResultRecordCodec.encode(result, into: &$0) }
        bufferedRecords += 1
    }

    mutating func flush(syncs: Bool) throws(StoreError) {
        lastFlush = .now
        guard bufferedRecords > 0 else { return }
        try active.file.write(pending.bytes, at: active.length)
        if syncs { try active.file.sync() }
        active.length += pending.count
        pending.bytes.removeAll(keepingCapacity: true)
        flushedRecords += UInt64(bufferedRecords)
        bufferedRecords = 0
    }
}
