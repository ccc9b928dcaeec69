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
/// Keeps only what registering needs: the id of every key and a digest of each series' metadata
/// (to notice a change). The metadata itself stays in the file: at 100,000 series, keeping every
/// entry cost 30 MB for a lookup that only happens at start-up and on reload.
struct SeriesIndexWriter: Sendable {
    let file: StoreFile
    var end: Int
    var idsByKey: [SeriesKey: SeriesID]
    /// The metadata digest of each registered series, indexed by id (ids are handed out densely).
    var metadataDigests: [UInt64?]
    let syncs: Bool

    /// Opens the index writer on the entries already in `file` up to `end`.
    init(file: StoreFile, end: Int, syncs: Bool, idsByKey: [SeriesKey: SeriesID], metadataDigests: [UInt64?]) {
        self.file = file
        self.end = end
        self.syncs = syncs
        self.idsByKey = idsByKey
        self.metadataDigests = metadataDigests
    }

    mutating func register(_ key: SeriesKey, metadata: SeriesMetadata) throws(StoreError) -> SeriesID {
        try register([(key, metadata)])[0]
    }

    /// Registers several series with one write and one fsync (10,000 targets at start-up would
    /// otherwise cost 10,000 fsyncs).
    mutating func register(_ series: [(key: SeriesKey, metadata: SeriesMetadata)]) throws(StoreError) -> [SeriesID] {
        var writer = ByteWriter()
        var ids: [SeriesID] = []
        ids.reserveCapacity(series.count)
        var added: [(key: SeriesKey, id: SeriesID, digest: UInt64)] = []
        var nextID = SeriesID(metadataDigests.count)
        var pending: [SeriesKey: (id: SeriesID, digest: UInt64)] = [:]
        for (key, metadata) in series {
            let digest = SeriesIndexFile.metadataDigest(metadata)
            let known = pending[key] ?? idsByKey[key].map { ($0, metadataDigests[Int($0)] ?? 0) }
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
        guard !added.isEmpty else { return ids }
        try file.write(writer.bytes, at: end)
        // Durable before any result that refers to them can be.
        if syncs { try file.sync() }
        end += writer.count
        for (key, id, digest) in added {
            if Int(id) >= metadataDigests.count {
                metadataDigests.append(contentsOf: repeatElement(nil, count: Int(id) - metadataDigests.count + 1))
            }
            metadataDigests[Int(id)] = digest
            idsByKey[key] = id
        }
        return ids
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
