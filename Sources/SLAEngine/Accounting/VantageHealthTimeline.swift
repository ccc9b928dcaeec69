/// A vantage's health verdicts over time, turned into the slices in which its results are UNKNOWN.
///
/// Each verdict covers the time from its start to the next verdict's start (the last one: onwards).
/// Before the first verdict, and for a vantage with no verdict at all, the vantage is healthy.
public struct VantageHealthTimeline: Sendable, Hashable {
    /// One verdict: from `startMillis`, healthy or not.
    public struct Verdict: Sendable, Hashable {
        /// When the verdict starts to hold, ms.
        public var startMillis: Int64
        /// Whether the vantage was healthy.
        public var healthy: Bool

        /// Creates a verdict.
        public init(startMillis: Int64, healthy: Bool) {
            self.startMillis = startMillis
            self.healthy = healthy
        }
    }

    /// The verdicts, in time order.
    public private(set) var verdicts: [Verdict]

    /// Creates a timeline; verdicts are sorted by start.
    public init(verdicts: [Verdict]) {
        self.verdicts = verdicts.sorted { $0.startMillis < $1.startMillis }
    }

    /// For each slice of `grid`, whether any part of it is covered by an unhealthy verdict: a
    /// measurement during a moment of doubt is not trusted.
    public func unhealthySlices(in grid: SliceGrid) -> [Bool] {
        var mask = Array(repeating: false, count: grid.count)
        for (index, verdict) in verdicts.enumerated() where !verdict.healthy {
            let start = verdict.startMillis
            let end = index + 1 < verdicts.count ? verdicts[index + 1].startMillis : Int64.max
            guard end > start, end > grid.startMillis, start < grid.endMillis else { continue }
            // Slices [s, s + w) with s < end and s + w > start.
            let first = start <= grid.startMillis ? 0 : Int((start - grid.startMillis) / grid.sliceMillis)
            let last = end >= grid.endMillis ? grid.count - 1
                : Int((end - grid.startMillis + grid.sliceMillis - 1) / grid.sliceMillis) - 1
            if first <= last { for slice in first...last { mask[slice] = true } }
        }
        return mask
    }
}
