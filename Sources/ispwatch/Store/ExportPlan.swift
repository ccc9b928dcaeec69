import SeriesStore

/// Where an export's results lie in time and in which segments, so that it can read the store in
/// time windows of bounded size, each window touching only the segments that overlap it.
///
/// Sealed segments are planned from their block indexes (no block decoded); active segments, which
/// have no index, are read once.
struct ExportPlan {
    /// Each segment's start-time range, by sequence.
    private var ranges: [UInt64: ClosedRange<Int64>] = [:]
    /// The earliest and latest start time of any result in range.
    private var span: ClosedRange<Int64>?
    /// How many results the range holds (sealed counts are per block, so slightly over).
    private(set) var estimatedResults = 0
    /// Damage met while planning (with the skip policy).
    private(set) var damages: [StoreDamage] = []

    init(reader: StoreReader, fromMillis: Int64?, toMillis: Int64?, policy: CorruptionPolicy) throws {
        var sequenceOfPath: [String: UInt64] = [:]
        var active: Set<UInt64> = []
        for segment in try reader.segments() {
            if segment.isSealed { sequenceOfPath[segment.path] = segment.sequence } else { active.insert(segment.sequence) }
        }
        let (summaries, sealedDamages) = try reader.blockSummaries(fromMillis: fromMillis, toMillis: toMillis)
        if policy == .fail, let first = sealedDamages.first { throw StoreError.corrupt(first.description, path: first.path) }
        damages = sealedDamages
        for summary in summaries {
            guard let sequence = sequenceOfPath[summary.path] else { continue }
            let low = max(summary.minStartMillis, fromMillis ?? .min)
            let high = min(summary.maxStartMillis, (toMillis ?? .max) - 1)
            guard low <= high else { continue }
            include(low...high, sequence: sequence)
            estimatedResults += summary.count
        }
        if !active.isEmpty {
            let report = try reader.scan(fromMillis: fromMillis, toMillis: toMillis, onCorruption: policy,
                                         segments: active) { result in
                estimatedResults += 1
                include(result.startMillis...result.startMillis, sequence: nil)
            }
            damages += report.damages
            // The scan does not say which segment a result came from: give every active segment the
            // active data's whole span (they are few, and usually one).
            if let span = activeSpan {
                for sequence in active { ranges[sequence] = span }
            }
        }
    }

    private var activeSpan: ClosedRange<Int64>?

    private mutating func include(_ range: ClosedRange<Int64>, sequence: UInt64?) {
        if let sequence {
            ranges[sequence] = ranges[sequence].map { min($0.lowerBound, range.lowerBound)...max($0.upperBound, range.upperBound) } ?? range
        } else {
            activeSpan = activeSpan.map { min($0.lowerBound, range.lowerBound)...max($0.upperBound, range.upperBound) } ?? range
        }
        span = span.map { min($0.lowerBound, range.lowerBound)...max($0.upperBound, range.upperBound) } ?? range
    }

    /// Consecutive half-open windows `[start, end)` covering every result, each expected to hold
    /// about `resultsPerWindow` results (assuming results spread evenly over time).
    func windows(resultsPerWindow: Int) -> [(Int64, Int64)] {
        guard let span, estimatedResults > 0 else { return [] }
        let length = span.upperBound - span.lowerBound + 1
        let windowCount = max(1, (estimatedResults + resultsPerWindow - 1) / resultsPerWindow)
        let step = max(1, (length + Int64(windowCount) - 1) / Int64(windowCount))
        var windows: [(Int64, Int64)] = []
        var start = span.lowerBound
        while start <= span.upperBound {
            let end = start > span.upperBound - step ? span.upperBound + 1 : start + step
            windows.append((start, end))
            start = end
        }
        return windows
    }

    /// The segments holding results in `[start, end)`.
    func segments(overlapping start: Int64, _ end: Int64) -> Set<UInt64> {
        Set(ranges.compactMap { sequence, range in range.lowerBound < end && range.upperBound >= start ? sequence : nil })
    }
}
