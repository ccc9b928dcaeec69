import Dispatch
import SeriesStore
import Synchronization
import WatchCore

/// Turns one store's segments into ``SegmentDigest``s, in parallel across segments: sealed
/// segments from their rollup files when the policy and the query's layout allow it, otherwise by
/// decoding only the time, outcome and latency columns of the blocks in range (others are skipped
/// on their index summary); active segments record by record.
///
/// Damage never stops a scan: a damaged block or record is reported and its results are missing.
public struct StoreScanner: Sendable {
    /// The store.
    public let reader: StoreReader
    /// Whether rollups are read (and built).
    public var rollups: RollupPolicy
    /// Worker threads (the machine's cores by default).
    public var threads: Int
    /// The clock stamping rollup files (creation time, informative only).
    public var nowMillis: @Sendable () -> Int64

    /// Creates a scanner.
    public init(reader: StoreReader, rollups: RollupPolicy = .ignore, threads: Int = 2,
                nowMillis: @escaping @Sendable () -> Int64 = { 0 }) {
        self.reader = reader
        self.rollups = rollups
        self.threads = max(1, threads)
        self.nowMillis = nowMillis
    }

    /// The digests of every segment holding results of `series` (all when `nil`) in the layout's
    /// range, cut as `layout` says, or as ``DigestLayout/rollup`` where a rollup answered (the
    /// evaluation maps those onto the query's slices and buckets; ``rollupAnswers(_:layout:)``
    /// decides when that is exact).
    public func digests(layout: DigestLayout, series: Set<SeriesID>?,
                        rollupCompatible: @escaping @Sendable (SegmentDigest) -> Bool)
        throws -> (digests: [SegmentDigest], report: StoreScanReport)
    {
        try digests(layout: layout, series: series, rollupSections: .all, rollupCompatible: rollupCompatible)
    }

    /// ``digests(layout:series:rollupCompatible:)``, reading only some kinds of rollup section.
    func digests(layout: DigestLayout, series: Set<SeriesID>?, rollupSections: RollupSections,
                 rollupCompatible: @escaping @Sendable (SegmentDigest) -> Bool)
        throws -> (digests: [SegmentDigest], report: StoreScanReport)
    {
        let segments = try reader.segments()
        let next = Atomic<Int>(0)
        let collected = Mutex<(digests: [SegmentDigest], report: StoreScanReport, failure: String?)>(([], StoreScanReport(), nil))
        DispatchQueue.concurrentPerform(iterations: min(threads, max(segments.count, 1))) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < segments.count else { return }
                var report = StoreScanReport()
                do {
                    let digest = try digest(segments[index], layout, series, rollupSections, rollupCompatible, &report)
                    collected.withLock {
                        if let digest, !digest.series.isEmpty { $0.digests.append(digest) }
                        $0.report.absorb(report)
                    }
                } catch {
                    collected.withLock { $0.failure = $0.failure ?? "\(segments[index].path): \(error)" }
                }
            }
        }
        let (digests, report, failure) = collected.withLock { $0 }
        if let failure { throw StoreError.corrupt(failure, path: reader.directory) }
        return (digests.sorted { $0.sequence < $1.sequence }, report)
    }

    private func digest(
        _ segment: StoreSegment, _ layout: DigestLayout, _ series: Set<SeriesID>?, _ sections: RollupSections,
        _ rollupCompatible: (SegmentDigest) -> Bool, _ report: inout StoreScanReport
    ) throws -> SegmentDigest? {
        guard segment.isSealed else { return try activeDigest(segment, layout, series, &report) }
        if rollups != .ignore, let rolled = try rollupDigest(segment, series, sections, &report) {
            if let range = rolled.startRange, range.upperBound < layout.fromMillis || range.lowerBound >= layout.toMillis {
                report.segmentsOutsideRange += 1
                return nil
            }
            if rollupCompatible(rolled) {
                report.segmentsFromRollups += 1
                return rolled
            }
        }
        return try sealedDigest(segment.sequence, layout, series, &report)
    }

    private func activeDigest(
        _ segment: StoreSegment, _ layout: DigestLayout, _ series: Set<SeriesID>?, _ report: inout StoreScanReport
    ) throws -> SegmentDigest {
        var builder = DigestBuilder(sequence: segment.sequence, layout: layout)
        let scan = try reader.scan(fromMillis: layout.fromMillis == .min ? nil : layout.fromMillis,
                                   toMillis: layout.toMillis == .max ? nil : layout.toMillis,
                                   series: series, onCorruption: .skip, segments: [segment.sequence]) { builder.add($0) }
        report.activeSegmentsRead += scan.activeSegmentsRead
        report.sealedSegmentsDecoded += scan.activeSegmentsRead == 0 ? 1 : 0
        report.resultsDecoded += scan.results
        report.damages += scan.damages
        return builder.finish()
    }

    /// Decodes a sealed segment's blocks in range into a digest cut as `layout`.
    func sealedDigest(
        _ sequence: UInt64, _ layout: DigestLayout, _ series: Set<SeriesID>?, _ report: inout StoreScanReport
    ) throws -> SegmentDigest {
        var builder = DigestBuilder(sequence: sequence, layout: layout)
        var current: SeriesID?
        let scan = try reader.scanSealedBlocks(
            fromMillis: layout.fromMillis == .min ? nil : layout.fromMillis,
            toMillis: layout.toMillis == .max ? nil : layout.toMillis, series: series,
            columns: [.times, .outcomes, .latency], onCorruption: .skip, segments: [sequence]
        ) { block in
            if let previous = current, previous != block.series { builder.finish(series: previous) }
            current = block.series
            builder.add(block)
        }
        report.sealedSegmentsDecoded += 1
        report.resultsDecoded += scan.results
        report.damages += scan.damages
        return builder.finish()
    }

    /// The segment's rollup, read, or built first when missing or stale and the policy allows;
    /// `nil` when there is none to use.
    private func rollupDigest(
        _ segment: StoreSegment, _ series: Set<SeriesID>?, _ sections: RollupSections, _ report: inout StoreScanReport
    ) throws -> SegmentDigest? {
        let path = RollupFile.path(directory: reader.directory, sequence: segment.sequence)
        guard let source = try? SealedSourceIdentity.of(sealedPath: segment.path) else { return nil }
        do {
            if let digest = try RollupFile.read(path: path, sequence: segment.sequence, source: source, series: series,
                                                  sections: sections) {
                return digest
            }
        } catch {
            report.rollupProblems.append("\(error.description); rebuilt from the sealed segment")
        }
        guard rollups == .useAndBuild else { return nil }
        var built = StoreScanReport()
        var digest = try sealedDigest(segment.sequence, .rollup, nil, &built)
        report.resultsDecoded += built.resultsDecoded
        report.damages += built.damages
        // A rollup built over damage would hide it from later queries: answer from the raw scan
        // this time and leave no file.
        if built.damages.isEmpty {
            do {
                try RollupFileIO.replace(path, with: RollupFile.encode(digest, source: source, createdMillis: nowMillis()))
                report.rollupsBuilt += 1
            } catch {
                report.rollupProblems.append("\(error.description); answered without writing it")
            }
        }
        if let series { digest.series = digest.series.filter { series.contains($0.key) } }
        return digest
    }
}
