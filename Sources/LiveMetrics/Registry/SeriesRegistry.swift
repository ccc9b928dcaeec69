import WatchCore

/// The series the exposition shows, in the order they were first recorded, with an index by key.
///
/// An array rather than a dictionary of values so that a render can take the whole set as one
/// copy-on-write snapshot and iterate it once per family in the same order.
struct SeriesRegistry: Sendable {
    private(set) var series: [SeriesMetrics] = []
    private var positions: [SeriesKey: Int] = [:]

    mutating func record(_ observation: ProbeObservation, key: SeriesKey, labels: SeriesLabels,
                         latencyBucket: Int?, latencyBucketCount: Int)
    {
        if let position = positions[key] {
            series[position].record(observation, labels: labels, latencyBucket: latencyBucket)
        } else {
            var metrics = SeriesMetrics(key: key, labels: labels, first: observation,
                                        latencyBucketCount: latencyBucketCount)
            metrics.record(observation, labels: labels, latencyBucket: latencyBucket)
            positions[key] = series.count
            series.append(metrics)
        }
    }

    mutating func retainOnly(_ keys: Set<SeriesKey>) {
        let before = series.count
        series.removeAll { !keys.contains($0.key) }
        guard series.count != before else { return }
        positions.removeAll(keepingCapacity: true)
        for (position, metrics) in series.enumerated() { positions[metrics.key] = position }
    }
}
