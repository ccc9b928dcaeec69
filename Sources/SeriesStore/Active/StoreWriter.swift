import Dispatch
import Foundation
import Synchronization
import WatchCore

/// Appends probe results to a store directory: buffered, framed, CRC-checked records in the active
/// segment, made durable on the flush policy of ``StoreOptions``; full or old segments are sealed
/// in the background into compact per-series files.
///
/// One writer per directory. Appending is thread-safe (a `Mutex` guards the buffer); it costs no
/// system call until the buffer is flushed.
public final class StoreWriter: Sendable {
    /// The store's directory.
    public let directory: String
    /// The policy this writer follows.
    public let options: StoreOptions
    /// What opening found and repaired.
    public let recovery: RecoveryReport

    let layout: StoreLayout
    let state: Mutex<WriterState>
    let sealer: SegmentSealQueue
    private let wake = DispatchSemaphore(value: 0)
    private let backgroundStopped = DispatchSemaphore(value: 0)

    /// Opens (creating if needed) the store in `directory`, recovering from an unclean stop: a torn
    /// tail of the active segment or the series index is cut off (see ``recovery``), leftovers of an
    /// interrupted seal are removed and unsealed segments are queued for sealing.
    ///
    /// - Throws: `StoreError` when the directory or a file cannot be opened or written.
    public init(directory: String, options: StoreOptions = StoreOptions()) throws(StoreError) {
        guard options.flushRecordCount > 0, options.blockCapacity > 0, options.blockCapacity <= 65_536,
              options.maximumSegmentBytes > FileHeader.length
        else { throw StoreError.invalidArgument("flushRecordCount, blockCapacity (1…65536) and maximumSegmentBytes must be positive") }
        self.directory = directory
        self.options = options
        self.layout = StoreLayout(directory: directory)
        try FileSystem.createDirectory(directory)
        var report = RecoveryReport()

        var listing = try layout.list()
        for temporary in listing.temporary {
            try FileSystem.remove(temporary)
            report.leftoversRemoved += 1
        }
        // A seal that renamed its file but crashed before removing the segment it came from.
        for sequence in listing.active where listing.sealed.contains(sequence) {
            try FileSystem.remove(layout.activePath(sequence))
            report.leftoversRemoved += 1
        }
        listing = try layout.list()

        let index = try Self.openSeriesIndex(layout: layout, syncs: options.syncOnFlush, report: &report)

        let sealer = SegmentSealQueue(layout: layout, blockCapacity: options.blockCapacity)
        var active: ActiveSegmentFile
        if let newest = listing.active.last {
            active = try ActiveSegmentFile.recover(path: layout.activePath(newest), sequence: newest, report: &report)
            for older in listing.active.dropLast() { sealer.enqueue(older) }
            report.segmentsQueuedForSealing = listing.active.count - 1
        } else {
            let next = max(listing.sealed.last ?? 0, 0) + 1
            active = try ActiveSegmentFile.create(layout: layout, sequence: next, syncs: true)
        }
        report.activeSegment = active.sequence
        self.recovery = report
        self.sealer = sealer
        self.state = Mutex(WriterState(active: active, index: index))
        startBackgroundThread()
    }

    private static func openSeriesIndex(
        layout: StoreLayout, syncs: Bool, report: inout RecoveryReport
    ) throws(StoreError) -> SeriesIndexWriter {
        let path = layout.seriesIndexPath
        let file = try StoreFile(path: path, mode: .readWriteCreate)
        var bytes = try file.readAll()
        if bytes.count < FileHeader.length {
            // A crash while creating the index: nothing was registered yet.
            try file.truncate(to: 0)
            try file.write(FileHeader(kind: .seriesIndex, sequence: 0, createdMillis: WallClock.now().millis).encoded(), at: 0)
            try file.sync()
            try FileSystem.syncDirectory(layout.directory)
            bytes = try file.readAll()
        }
        let (extent, seriesCount) = try bytes.withRawBytes { (raw) throws(StoreError) in
            try SeriesLookup.walk(raw, path: path)
        }
        if extent.validEnd < bytes.count {
            report.droppedSeriesIndexBytes = bytes.count - extent.validEnd
            try file.truncate(to: extent.validEnd)
            try file.sync()
        }
        return SeriesIndexWriter(file: file, end: extent.validEnd, seriesCount: seriesCount, lookup: nil, syncs: syncs)
    }

    // MARK: - Series

    /// The id of the series `key`, registering it durably first when it is new. Registering a known
    /// key with different metadata records the new metadata.
    public func register(_ key: SeriesKey, metadata: SeriesMetadata = SeriesMetadata()) throws(StoreError) -> SeriesID {
        try state.withLock { (state) throws(StoreError) -> SeriesID in
            guard !state.closed else { throw StoreError.closed }
            return try state.index.register(key, metadata: metadata)
        }
    }

    /// The ids of several series, registering the new ones (and changed metadata) durably with a
    /// single write and fsync. Returns the ids in the order given.
    public func register(_ series: [(key: SeriesKey, metadata: SeriesMetadata)]) throws(StoreError) -> [SeriesID] {
        try state.withLock { (state) throws(StoreError) -> [SeriesID] in
            guard !state.closed else { throw StoreError.closed }
            return try state.index.register(series)
        }
    }

    /// The number of registered series.
    public var seriesCount: Int { state.withLock { $0.index.seriesCount } }

    /// Frees the table that finds a key's id, which registering builds from the series index and
    /// keeps (about 120 bytes a series). A daemon that registers only at start-up and on reload
    /// calls this after registering; the next registration reads the index back (tens of ms at
    /// 100,000 series).
    public func releaseSeriesLookup() {
        state.withLock { $0.index.releaseLookup() }
    }

    // MARK: - Appending

    /// Appends one result to the buffer; flushes when the buffer reaches
    /// ``StoreOptions/flushRecordCount`` and seals the segment when it is full.
    public func append(_ result: StoredResult) throws(StoreError) {
        try state.withLock { (state) throws(StoreError) in
            guard !state.closed else { throw StoreError.closed }
            state.buffer(result)
            if state.bufferedRecords >= options.flushRecordCount { try flushAndRotateIfNeeded(&state) }
        }
    }

    /// Appends results in order, under one lock.
    public func append(contentsOf results: some Sequence<StoredResult>) throws(StoreError) {
        try state.withLock { (state) throws(StoreError) in
            guard !state.closed else { throw StoreError.closed }
            for result in results {
                state.buffer(result)
                if state.bufferedRecords >= options.flushRecordCount { try flushAndRotateIfNeeded(&state) }
            }
        }
    }

    /// Converts and appends a probe result of series `series`.
    public func append(_ result: ProbeResult, series: SeriesID) throws(StoreError) {
        try append(StoredResult(result, series: series))
    }

    /// Writes out buffered results (and fsyncs when ``StoreOptions/syncOnFlush``).
    ///
    /// - Returns: how many results this writer has flushed since it was opened; all of them survive
    ///   a crash of the process (and of the machine, with `syncOnFlush`).
    @discardableResult
    public func flush() throws(StoreError) -> UInt64 {
        try state.withLock { (state) throws(StoreError) -> UInt64 in
            guard !state.closed else { throw StoreError.closed }
            try flushAndRotateIfNeeded(&state)
            return state.flushedRecords
        }
    }

    /// How many results this writer has flushed since it was opened.
    public var flushedCount: UInt64 { state.withLock { $0.flushedRecords } }

    private func flushAndRotateIfNeeded(_ state: inout WriterState) throws(StoreError) {
        try state.flush(syncs: options.syncOnFlush)
        let age = Duration.milliseconds(WallClock.now().millis - state.active.createdMillis)
        if state.active.length >= options.maximumSegmentBytes
            || (state.active.length > FileHeader.length && age >= options.maximumSegmentAge)
        {
            try rotate(&state)
        }
    }

    /// Closes the active segment (even when not full) and queues it for sealing.
    public func sealActiveSegment() throws(StoreError) {
        try state.withLock { (state) throws(StoreError) in
            guard !state.closed else { throw StoreError.closed }
            try state.flush(syncs: options.syncOnFlush)
            if state.active.length > FileHeader.length { try rotate(&state) }
        }
        wake.signal()
    }

    private func rotate(_ state: inout WriterState) throws(StoreError) {
        try state.active.file.sync()
        let finished = state.active.sequence
        state.active = try ActiveSegmentFile.create(layout: layout, sequence: finished + 1, syncs: true)
        sealer.enqueue(finished)
        wake.signal()
    }

    // MARK: - Sealing

    /// Seals every queued segment now, on the calling thread, and waits for a seal in progress on the
    /// background thread.
    ///
    /// - Returns: one report per segment sealed by this call.
    @discardableResult
    public func sealPendingSegments() throws(StoreError) -> [SealReport] {
        try sealer.sealAll(waitForOthers: true)
    }

    /// The first error the background thread met while sealing, if any (it retries on its next turn).
    public var backgroundError: StoreError? { sealer.lastError }

    // MARK: - Lifecycle

    /// Flushes, fsyncs and stops the background thread. Queued segments stay queued (the next open
    /// seals them); the active segment stays active.
    public func close() throws(StoreError) {
        let wasOpen = try state.withLock { (state) throws(StoreError) -> Bool in
            guard !state.closed else { return false }
            try state.flush(syncs: true)
            state.closed = true
            return true
        }
        guard wasOpen else { return }
        wake.signal()
        backgroundStopped.wait()
    }

    deinit {
        // A writer dropped without close() stops its thread (which holds it only weakly between
        // turns); data not flushed is lost, as after a crash. No waiting here: the last reference
        // may be the background thread's own, released at the end of a turn.
        state.withLock { $0.closed = true }
        wake.signal()
    }

    private func startBackgroundThread() {
        let interval = min(options.flushInterval, .seconds(1))
        let nanos = max(Int(interval.nanoseconds), 1_000_000)
        let thread = Thread { [weak self] in
            BackgroundPriority.lowerForCallingThread()
            while true {
                guard let writer = self else { return }
                if writer.backgroundTurn() {
                    writer.backgroundStopped.signal()
                    return
                }
                _ = writer.wake.wait(timeout: .now() + .nanoseconds(nanos))
            }
        }
        thread.name = "store-writer"
        thread.start()
    }

    /// One turn of the background thread: flush when due, rotate when old, seal what is queued.
    /// Returns true when the writer is closed.
    private func backgroundTurn() -> Bool {
        let closed = state.withLock { (state) -> Bool in
            guard !state.closed else { return true }
            let now = ContinuousClock.now
            if state.bufferedRecords > 0, now - state.lastFlush >= options.flushInterval {
                try? flushAndRotateIfNeeded(&state)
            } else if state.active.length > FileHeader.length,
                      Duration.milliseconds(WallClock.now().millis - state.active.createdMillis) >= options.maximumSegmentAge {
                try? flushAndRotateIfNeeded(&state)
            }
            return false
        }
        if closed { return true }
        if options.sealsInBackground { _ = try? sealer.sealAll(waitForOthers: false) }
        return false
    }
}

extension Timestamp {
    /// Milliseconds since the epoch, rounded down.
    var millis: Int64 {
        nanosecondsSinceEpoch >= 0 ? nanosecondsSinceEpoch / 1_000_000 : (nanosecondsSinceEpoch - 999_999) / 1_000_000
    }
}
