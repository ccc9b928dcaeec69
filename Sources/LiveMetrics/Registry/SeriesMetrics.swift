import WatchCore

/// Everything the exposition knows about one series: its labels, rendered once, its latest result,
/// its counters and its latency histogram.
///
/// Kept small on purpose: a 100,000-target vantage holds one per series, so the labels are kept only
/// as rendered bytes (with a hash to notice a change) and the latest result in compact form.
struct SeriesMetrics: Sendable {
    /// The labels' hash, to notice a change without keeping the labels twice.
    private(set) var labelsHash: Int
    /// The configured IP family (`ip_family` label), for a result that has none.
    private(set) var family: IPFamily
    /// The labels as written inside `{…}`; rebuilt only when the labels change (a reload that moves a
    /// target to another service), never per probe.
    private(set) var renderedLabels: [UInt8]
    private(set) var last: ProbeObservation
    private(set) var probes: UInt64 = 0
    private(set) var failures = FailureCounts()
    /// Successful probes per latency bucket, not cumulative; the last element counts those above
    /// every bound. Empty when the registry keeps no histogram.
    private(set) var latencyCounts: [UInt64]
    /// The sum of the successful probes' durations, in nanoseconds (exact, unlike a `Double` sum).
    private(set) var latencySumNanoseconds: Int64 = 0

    init(labels: SeriesLabels, first: ProbeObservation, latencyBucketCount: Int) {
        labelsHash = labels.hashValue
        family = labels.ipFamily
        renderedLabels = labels.rendered
        last = first
        latencyCounts = latencyBucketCount == 0 ? [] : Array(repeating: 0, count: latencyBucketCount + 1)
    }

    /// Counts one finished probe.
    ///
    /// - Parameter latencyBucket: the histogram bucket of a successful probe's duration; `nil` for
    ///   a failed probe or when the registry keeps no histogram.
    mutating func record(_ observation: ProbeObservation, labels newLabels: SeriesLabels, latencyBucket: Int?) {
        let newHash = newLabels.hashValue
        if newHash != labelsHash {
            labelsHash = newHash
            family = newLabels.ipFamily
            renderedLabels = newLabels.rendered
        }
        last = observation
        probes += 1
        if let failure = observation.failure { failures.increment(failure) }
        if let latencyBucket {
            latencyCounts[latencyBucket] += 1
            latencySumNanoseconds &+= observation.duration.nanoseconds
        }
    }
}
