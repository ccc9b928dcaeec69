import SeriesStore
import WatchCore

/// One series' slices over a query's grid and its latency per bucket: what
/// ``FigureEngine/seriesSlices(_:roles:)`` hands to the accounting rules.
public struct ScannedSeries: Sendable {
    /// The series.
    public var key: SeriesKey
    /// Its metadata (provider, service, region, labels).
    public var metadata: SeriesMetadata
    /// Probes and failures per slice of the query's grid.
    public var counts: SliceCounts
    /// The start of each bucket of the query (one bucket, at the range start, without bucketing).
    public var bucketStartMillis: [Int64]
    /// Per bucket, the latencies of the successful probes (`nil` where none).
    public var latency: [LatencySketch?]
}
