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
struct SeriesIndexWriter: Sendable {
    let file: StoreFile
    var end: Int
    var entries: [SeriesID: SeriesEntry]
    var idsByKey: [SeriesKey: SeriesID]
    let syncs: Bool

    init(file: StoreFile, end: Int, entries: [SeriesID: SeriesEntry], syncs: Bool) {
        self.file = file
        self.end = end
        self.entries = entries
        self.syncs = syncs
        var ids: [SeriesKey: SeriesID] = [:]
        for entry in entries.values { ids[entry.key] = entry.id }
        self.idsByKey = ids
    }

    mutating func register(_ key: SeriesKey, metadata: SeriesMetadata) throws(StoreError) -> SeriesID {
        try register([(key, metadata)])[0]
    }

    /// Registers several series with one write and one fsync (10,000 targets at start-up would
    /// otherwise cost 10,000 fsyncs).
    mutating func register(_ series: [(key: SeriesKey, metadata: SeriesMetadata)]) throws(StoreError) -> [SeriesID] {
        var writer = ByteWriter()
        var ids: [SeriesID] = []
        var added: [SeriesEntry] = []
        var nextID = SeriesID((entries.keys.max() ?? SeriesID.max) &+ 1)
        var pendingIDs: [SeriesKey: SeriesID] = [:]
        for (key, metadata) in series {
            if let id = idsByKey[key] ?? pendingIDs[key], (entries[id] ?? added.last { $0.id == id })?.metadata == metadata {
                ids.append(id)
                continue
            }
            let id = idsByKey[key] ?? pendingIDs[key] ?? nextID
            if id == nextID { nextID &+= 1 }
            pendingIDs[key] = id
            let entry = SeriesEntry(id: id, key: key, metadata: metadata)
            SeriesIndexFile.encodeEntry(entry, into: &writer)
            added.append(entry)
            ids.append(id)
        }
        guard !added.isEmpty else { return ids }
        try file.write(writer.bytes, at: end)
        // Durable before any result that refers to them can be.
        if syncs { try file.sync() }
        end += writer.count
        for entry in added {
            entries[entry.id] = entry
            idsByKey[entry.key] = entry.id
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
