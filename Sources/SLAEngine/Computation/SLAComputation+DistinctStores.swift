import SeriesStore
import WatchCore

extension SLAComputation {
    /// Refuses stores that hold the same target series: two stores written under one vantage name
    /// (a store given twice or copied, or two vantages both left unnamed as `local`) would otherwise
    /// add their results together and count every probe twice. The shards of one vantage hold
    /// disjoint target series and pass; their shared control and health series are not targets.
    ///
    /// - Throws: ``SLAComputationError/duplicateSeries(_:firstStore:secondStore:)`` naming the first
    ///   series found in two stores.
    public func checkDistinctSeries() throws(SLAComputationError) {
        guard readers.count > 1 else { return }
        var owner: [SeriesKey: String] = [:]
        for reader in readers {
            for entry in reader.series.values where SeriesRole(labels: entry.metadata.labels) == .target {
                if let first = owner.updateValue(reader.directory, forKey: entry.key) {
                    throw .duplicateSeries(entry.key, firstStore: first, secondStore: reader.directory)
                }
            }
        }
    }
}
