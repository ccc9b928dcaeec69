import SeriesStore
import WatchCore

/// Computes one series' figures per bucket (and its incidents) from the digests of its segments.
/// One evaluator per worker thread: its scratch arrays are reused from series to series.
struct SeriesEvaluator {
    let query: FigureQuery
    let grid: SliceGrid
    /// The bucket keys of the query, in time order, and per slice the position of its bucket.
    let bucketKeys: [Int64]
    let sliceBucket: [Int32]
    /// The slices of each bucket (consecutive).
    let bucketRanges: [Range<Int>]
    /// Per probe count p, the fewest failures that make a slice DOWN under the slice rule: the
    /// rule's floating-point test, tabulated once so that a slice costs an integer comparison.
    let downThreshold: [UInt16]
    private var counts: SliceCounts
    private var states: [SliceState] = []
    private var places: [Int32] = []
    private var histograms: [LatencyHistogram?]

    init(query: FigureQuery, bucketKeys: [Int64], sliceBucket: [Int32]) {
        self.query = query
        self.grid = query.grid
        self.bucketKeys = bucketKeys
        self.sliceBucket = sliceBucket
        var ranges: [Range<Int>] = []
        var first = 0
        while first < sliceBucket.count {
            var end = first + 1
            while end < sliceBucket.count, sliceBucket[end] == sliceBucket[first] { end += 1 }
            ranges.append(first..<end)
            first = end
        }
        bucketRanges = ranges
        downThreshold = Self.downThresholds(query.sliceRule)
        counts = SliceCounts(grid: grid)
        histograms = Array(repeating: nil, count: bucketKeys.count)
    }

    /// The slice counts of one series and the latency sketch of each bucket (`nil` where empty).
    mutating func slices(_ parts: [(digest: SegmentDigest, sections: SegmentDigest.SeriesSections)])
        throws -> (SliceCounts, [LatencySketch?])
    {
        counts.probes.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        counts.failures.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        for part in parts {
            try addCounts(part.digest, part.sections.counts)
            if query.includesFigures { try addHistograms(part.digest, part.sections) }
        }
        let sketches = histograms.indices.map { index in histograms[index] != nil ? histograms[index]!.sketchAndReset() : nil }
        return (counts, sketches)
    }

    /// The per-bucket rows (group name left empty) and incident spans of one series whose digest
    /// sections are `parts`.
    mutating func evaluate(_ parts: [(digest: SegmentDigest, sections: SegmentDigest.SeriesSections)])
        throws -> (rows: [FigureRow], incidents: [IncidentSpan])
    {
        counts.probes.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        counts.failures.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        for part in parts {
            try addCounts(part.digest, part.sections.counts)
            if query.includesFigures { try addHistograms(part.digest, part.sections) }
        }
        guard query.includesFigures else { return ([], query.includesIncidents ? detectIncidents() : []) }
        var rows = bucketKeys.map { FigureRow(group: "", bucketStartMillis: query.bucketing.startMillis(ofKey: $0, fromMillis: query.fromMillis)) }
        let rule = query.sliceRule
        counts.probes.withUnsafeBufferPointer { probes in
            counts.failures.withUnsafeBufferPointer { failures in
                downThreshold.withUnsafeBufferPointer { threshold in
                    for (bucket, range) in bucketRanges.enumerated() {
                        var results = 0, known = 0, down = 0
                        for slice in range {
                            let p = probes[slice], f = failures[slice]
                            results &+= Int(p)
                            known &+= p > 0 ? 1 : 0
                            down &+= (p > 0 && Self.isDown(p, f, threshold, rule)) ? 1 : 0
                        }
                        rows[bucket].results = results
                        rows[bucket].upSlices = known - down
                        rows[bucket].downSlices = down
                        rows[bucket].unknownSlices = range.count - known
                    }
                }
            }
        }
        var incidents: [IncidentSpan] = []
        if query.includesIncidents { incidents = detectIncidents() }
        for index in rows.indices {
            if histograms[index] != nil { rows[index].latency = histograms[index]!.sketchAndReset() }
        }
        return (rows, incidents)
    }

    /// Probe counts below this have a tabulated threshold; a slice with more (a probe more often
    /// than every 60 ms in a 1-minute slice) asks the rule itself.
    static let tabulatedProbes = 1_024

    /// Whether a slice with `p` > 0 probes and `f` failures is DOWN.
    @inline(__always)
    static func isDown(_ p: UInt16, _ f: UInt16, _ threshold: UnsafeBufferPointer<UInt16>, _ rule: SliceRule) -> Bool {
        Int(p) < tabulatedProbes ? f >= threshold[Int(p)] : rule.state(probes: p, failures: f) == .down
    }

    /// `downThreshold` for a rule: the smallest f with `rule.state(probes: p, failures: f) == .down`,
    /// for p below ``tabulatedProbes``.
    static func downThresholds(_ rule: SliceRule) -> [UInt16] {
        (0..<tabulatedProbes).map { probes in
            var failures = Swift.min(Int((rule.downShare * Double(probes)).rounded(.up)), probes)
            while failures > 0, rule.state(probes: UInt16(probes), failures: UInt16(failures - 1)) == .down { failures -= 1 }
            while failures < probes, rule.state(probes: UInt16(probes), failures: UInt16(failures)) != .down { failures += 1 }
            return UInt16(failures)
        }
    }

    /// The incidents in the series' slice states, found by ``IncidentDetector`` over a shorter
    /// sequence with the same incidents: UNKNOWN slices left out (the detector skips them) and runs
    /// of one state cut to max(K, M) slices (past that, more of the same state changes nothing),
    /// each kept slice remembering its place in the grid.
    private mutating func detectIncidents() -> [IncidentSpan] {
        let rule = query.sliceRule
        let longest = Swift.max(query.incidentRule.openAfterDownSlices, query.incidentRule.closeAfterUpSlices)
        states.removeAll(keepingCapacity: true)
        places.removeAll(keepingCapacity: true)
        var previous = SliceState.unknown
        var run = 0
        counts.probes.withUnsafeBufferPointer { probes in
            counts.failures.withUnsafeBufferPointer { failures in
                var slice = 0
                while slice < probes.count {
                    let p = probes[slice], f = failures[slice]
                    guard p > 0 else {
                        slice += 1
                        continue
                    }
                    // The slices with these same counts, all in one state.
                    var end = slice + 1
                    while end < probes.count, probes[end] == p, failures[end] == f { end += 1 }
                    let state: SliceState = downThreshold.withUnsafeBufferPointer { Self.isDown(p, f, $0, rule) } ? .down : .up
                    if state != previous {
                        previous = state
                        run = 0
                    }
                    let kept = Swift.min(end - slice, Swift.max(longest - run, 0))
                    for place in slice..<(slice + kept) {
                        states.append(state)
                        places.append(Int32(place))
                    }
                    run += end - slice
                    slice = end
                }
            }
        }
        return IncidentDetector.incidents(in: states, rule: query.incidentRule).map { span in
            IncidentSpan(firstSlice: Int(places[span.firstSlice]), endSlice: span.endSlice.map { Int(places[$0]) })
        }
    }

    /// Adds a series' slice runs, mapped from the digest's slices onto the query's grid.
    private mutating func addCounts(_ digest: SegmentDigest, _ range: Range<Int>) throws {
        let layout = digest.layout
        guard layout.sliceMillis == grid.sliceMillis, (grid.startMillis - layout.sliceOrigin) % layout.sliceMillis == 0 else {
            throw DigestDecodingError("digest slices do not line up with the query's")
        }
        let shift = (grid.startMillis - layout.sliceOrigin) / layout.sliceMillis
        let sliceCount = Int64(grid.count)
        try digest.bytes.withUnsafeBytes { (raw) throws in
            var cursor = DigestCursor(UnsafeRawBufferPointer(rebasing: raw[range]))
            let runs = try cursor.count(atMost: UInt64(range.count))
            var previousEnd: Int64 = 0
            try counts.probes.withUnsafeMutableBufferPointer { (probes) throws in
                try counts.failures.withUnsafeMutableBufferPointer { (failures) throws in
                    for _ in 0..<runs {
                        let first = previousEnd &+ (try cursor.signedVarint())
                        let length = Int64(try cursor.count(atMost: UInt64(Int32.max)))
                        let runProbes = try cursor.varint(), runFailures = try cursor.varint()
                        guard runFailures <= runProbes else { throw DigestDecodingError("more failures than probes") }
                        previousEnd = first &+ length
                        let low = Swift.max(first - shift, 0), high = Swift.min(first - shift + length, sliceCount)
                        guard low < high else { continue }
                        // Saturating adds written so that the loops vectorize.
                        let addProbes = UInt32(Swift.min(runProbes, UInt64(UInt16.max)))
                        let addFailures = UInt32(Swift.min(runFailures, UInt64(UInt16.max)))
                        for slice in Int(low)..<Int(high) {
                            probes[slice] = UInt16(Swift.min(UInt32(probes[slice]) &+ addProbes, UInt32(UInt16.max)))
                        }
                        if addFailures > 0 {
                            for slice in Int(low)..<Int(high) {
                                failures[slice] = UInt16(Swift.min(UInt32(failures[slice]) &+ addFailures, UInt32(UInt16.max)))
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds a series' latency histograms into the query buckets they fall in: a rollup's day
    /// histograms for the UTC days they answer, its hour histograms for the other hours.
    private mutating func addHistograms(_ digest: SegmentDigest, _ sections: SegmentDigest.SeriesSections) throws {
        let layout = digest.layout
        // A rollup covers all time: keep only its hours (days) that meet the range (whole hours,
        // see FigureQuery.rollupAnswers) or all when every result of the segment is in range. A
        // query's own digest holds only results in range.
        let isRollup = layout.fromMillis == .min
        let inside = digest.startRange.map { $0.lowerBound >= query.fromMillis && $0.upperBound < query.toMillis } ?? true
        var answeredDays: [Int64] = []
        if isRollup, query.bucketing.nestsUTCDays, !sections.days.isEmpty {
            try Self.forEachHistogram(digest, sections.days) { day, cursor in
                let start = day &* 86_400_000
                guard inside || (start >= query.fromMillis && start &+ 86_400_000 <= query.toMillis) else { return false }
                guard let position = position(ofBucketStarting: start) else { return false }
                answeredDays.append(day)
                try merge(&cursor, into: position)
                return true
            }
        }
        try Self.forEachHistogram(digest, sections.histograms) { bucket, cursor in
            let start = layout.bucketOrigin &+ bucket &* layout.bucketMillis
            if isRollup {
                guard start &+ layout.bucketMillis > query.fromMillis, start < query.toMillis else { return false }
                if !answeredDays.isEmpty, answeredDays.contains(DigestLayout.floorDivide(bucket, 24)) { return false }
            }
            guard let position = position(ofBucketStarting: start) else { return false }
            try merge(&cursor, into: position)
            return true
        }
    }

    /// The query bucket of a digest bucket: the bucket of its first slice in the grid.
    private func position(ofBucketStarting start: Int64) -> Int? {
        grid.slice(containing: Swift.max(start, grid.startMillis)).map { Int(sliceBucket[$0]) }
    }

    private mutating func merge(_ cursor: inout DigestCursor, into position: Int) throws {
        if histograms[position] == nil { histograms[position] = LatencyHistogram() }
        try histograms[position]!.merge(decoding: &cursor)
    }

    /// Calls `body` with each histogram's bucket and a cursor at its encoding; `body` returns
    /// whether it read the histogram (else it is stepped over by its length).
    private static func forEachHistogram(
        _ digest: SegmentDigest, _ range: Range<Int>, _ body: (Int64, inout DigestCursor) throws -> Bool
    ) throws {
        guard !range.isEmpty else { return }
        try digest.bytes.withUnsafeBytes { (raw) throws in
            var cursor = DigestCursor(UnsafeRawBufferPointer(rebasing: raw[range]))
            let count = try cursor.count(atMost: UInt64(range.count))
            var bucket: Int64 = 0
            for index in 0..<count {
                let delta = try cursor.signedVarint()
                bucket = index == 0 ? delta : bucket &+ delta
                let length = try cursor.count(atMost: UInt64(range.count))
                let end = cursor.offset + length
                guard end <= cursor.bytes.count else { throw DigestDecodingError("histogram runs past its section") }
                if try body(bucket, &cursor) {
                    guard cursor.offset == end else { throw DigestDecodingError("histogram length disagrees with its content") }
                } else {
                    cursor.offset = end
                }
            }
        }
    }
}
