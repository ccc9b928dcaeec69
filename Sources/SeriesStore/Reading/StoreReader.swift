import WatchCore

/// What a scan visited and what damage it stepped over.
public struct ScanReport: Sendable, Hashable {
    /// Results passed to the caller.
    public var results = 0
    /// Sealed blocks decoded.
    public var blocksDecoded = 0
    /// Sealed blocks skipped on their summary (outside the time range or series filter).
    public var blocksSkipped = 0
    /// Active segments read.
    public var activeSegmentsRead = 0
    /// Damage met and skipped (with ``CorruptionPolicy/skip``).
    public var damages: [StoreDamage] = []
}

/// Reads a store directory: sealed files and the flushed part of active segments, safely while a
/// writer appends and seals (a segment being sealed is read from whichever file exists).
///
/// Results come segment by segment in sequence order; within a sealed segment series by series
/// (ascending id), each in append order; within an active segment in append order.
public struct StoreReader: Sendable {
    /// The store's directory.
    public let directory: String
    /// The series index as loaded when the reader was made.
    public let series: [SeriesID: SeriesEntry]
    let layout: StoreLayout

    /// Opens a store for reading; loads its series index (a torn tail of it is ignored).
    ///
    /// - Throws: `StoreError` when the directory or the series index cannot be read.
    public init(directory: String) throws(StoreError) {
        self.directory = directory
        self.layout = StoreLayout(directory: directory)
        let path = layout.seriesIndexPath
        if FileSystem.exists(path) {
            let bytes = try StoreFile(path: path, mode: .readOnly).readAll()
            self.series = try bytes.withRawBytes { (raw) throws(StoreError) in try SeriesIndexFile.load(raw, path: path) }
        } else {
            self.series = [:]
        }
    }

    /// The segments present now, by sequence; a segment present both ways (a seal that did not
    /// finish removing its source) counts as sealed.
    public func segments() throws(StoreError) -> [StoreSegment] {
        try layout.segments()
    }

    /// The summaries of sealed blocks that may hold results of `series` starting in `[from, to)` (ms),
    /// read from the files' indexes without decoding any block.
    public func blockSummaries(
        fromMillis: Int64? = nil, toMillis: Int64? = nil, series: Set<SeriesID>? = nil
    ) throws(StoreError) -> (summaries: [BlockSummary], damages: [StoreDamage]) {
        var summaries: [BlockSummary] = []
        var damages: [StoreDamage] = []
        for segment in try segments() where segment.isSealed {
            guard let reader = try openSealed(segment.path) else { continue }
            damages += reader.damages
            summaries += reader.blocks.filter {
                $0.overlaps(fromMillis: fromMillis, toMillis: toMillis) && (series?.contains($0.series) ?? true)
            }
        }
        return (summaries, damages)
    }

    /// Calls `body` with every sealed block, decoded into columns, that may hold results of `series`
    /// starting in `[from, to)`: the fastest way to read sealed history. Blocks are not filtered
    /// result by result, and active segments are not read (use
    /// ``scan(fromMillis:toMillis:series:onCorruption:segments:_:)`` for those).
    ///
    /// - Parameters:
    ///   - columns: the columns to decode; the others keep meaningless values.
    ///   - segments: restricts the scan to these sequence numbers (to split work across threads).
    public func scanSealedBlocks(
        fromMillis: Int64? = nil, toMillis: Int64? = nil, series: Set<SeriesID>? = nil,
        columns: BlockColumnSelection = .all,
        onCorruption policy: CorruptionPolicy = .fail, segments only: Set<UInt64>? = nil,
        _ body: (borrowing DecodedBlock) throws -> Void
    ) throws -> ScanReport {
        var report = ScanReport()
        var block = DecodedBlock()
        var spare: [UInt8] = []
        for segment in try segments() where segment.isSealed && (only?.contains(segment.sequence) ?? true) {
            guard var reader = try openSealed(segment.path, reusing: &spare, sketches: false) else { continue }
            defer { spare = reader.releaseBytes() }
            try handle(reader.damages, policy, &report)
            for summary in reader.blocks {
                guard summary.overlaps(fromMillis: fromMillis, toMillis: toMillis), series?.contains(summary.series) ?? true else {
                    report.blocksSkipped += 1
                    continue
                }
                do {
                    try reader.decode(summary, into: &block, selection: columns)
                } catch {
                    try handle([reader.damage(summary, error)], policy, &report)
                    continue
                }
                report.blocksDecoded += 1
                report.results += block.count
                try body(block)
            }
        }
        return report
    }

    /// Calls `body` with every result starting in `[from, to)` (ms; both optional) of `series` (all
    /// when `nil`), from sealed files and from the flushed part of active segments.
    ///
    /// - Parameters:
    ///   - policy: `.fail` throws a `StoreError` naming file, block and offset at the first damage;
    ///     `.skip` records it in the report and reads on.
    ///   - segments: restricts the scan to these sequence numbers.
    /// - Throws: `StoreError`, or what `body` throws.
    @discardableResult
    public func scan(
        fromMillis: Int64? = nil, toMillis: Int64? = nil, series: Set<SeriesID>? = nil,
        onCorruption policy: CorruptionPolicy = .fail, segments only: Set<UInt64>? = nil,
        _ body: (StoredResult) throws -> Void
    ) throws -> ScanReport {
        var report = ScanReport()
        var block = DecodedBlock()
        let newest = try segments().last?.sequence
        for segment in try segments() where only?.contains(segment.sequence) ?? true {
            var sealedPath: String? = segment.isSealed ? segment.path : nil
            if !segment.isSealed {
                do {
                    let outcome = try ActiveSegmentReader.read(path: segment.path) { result in
                        guard Self.matches(result, fromMillis, toMillis, series) else { return }
                        report.results += 1
                        try body(result)
                    }
                    report.activeSegmentsRead += 1
                    // The newest segment's tail may be a write in progress, not damage.
                    let damages = segment.sequence == newest ? outcome.damages.filter { $0.kind != .recordFrame } : outcome.damages
                    try handle(damages, policy, &report)
                } catch let error as StoreError where error.isFileNotFound {
                    // Sealed and removed since the listing: read the sealed file instead.
                    sealedPath = layout.sealedPath(segment.sequence)
                }
            }
            guard let sealedPath, let reader = try openSealed(sealedPath) else { continue }
            try handle(reader.damages, policy, &report)
            for summary in reader.blocks {
                guard summary.overlaps(fromMillis: fromMillis, toMillis: toMillis), series?.contains(summary.series) ?? true else {
                    report.blocksSkipped += 1
                    continue
                }
                do {
                    try reader.decode(summary, into: &block)
                } catch {
                    try handle([reader.damage(summary, error)], policy, &report)
                    continue
                }
                report.blocksDecoded += 1
                try block.forEachResult { result in
                    guard Self.matches(result, fromMillis, toMillis, series) else { return }
                    report.results += 1
                    try body(result)
                }
            }
        }
        return report
    }

    /// Every matching result, collected (convenient for small ranges and tests).
    public func results(
        fromMillis: Int64? = nil, toMillis: Int64? = nil, series: Set<SeriesID>? = nil,
        onCorruption policy: CorruptionPolicy = .fail
    ) throws -> [StoredResult] {
        var results: [StoredResult] = []
        try scan(fromMillis: fromMillis, toMillis: toMillis, series: series, onCorruption: policy) { results.append($0) }
        return results
    }

    @inline(__always)
    private static func matches(_ result: StoredResult, _ from: Int64?, _ to: Int64?, _ series: Set<SeriesID>?) -> Bool {
        if let from, result.startMillis < from { return false }
        if let to, result.startMillis >= to { return false }
        if let series, !series.contains(result.series) { return false }
        return true
    }

    private func handle(_ damages: [StoreDamage], _ policy: CorruptionPolicy, _ report: inout ScanReport) throws(StoreError) {
        guard let first = damages.first else { return }
        if policy == .fail { throw StoreError.corrupt(first.description, path: first.path) }
        report.damages += damages
    }

    private func openSealed(_ path: String) throws(StoreError) -> SealedSegmentReader? {
        var spare: [UInt8] = []
        return try openSealed(path, reusing: &spare)
    }

    /// Opens a sealed file; `nil` when it vanished (retention) since the listing.
    private func openSealed(
        _ path: String, reusing spare: inout [UInt8], sketches: Bool = true
    ) throws(StoreError) -> SealedSegmentReader? {
        do {
            return try SealedSegmentReader(path: path, reusing: &spare, sketches: sketches)
        } catch where error.isFileNotFound {
            return nil
        }
    }
}
