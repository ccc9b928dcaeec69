/// The per-series slice pass: counts to states, vantage health applied.
public enum SeriesSlices {
    /// The state of every slice of one series: ``SliceRule/state(probes:failures:)``, then UNKNOWN
    /// where the vantage was unhealthy. Nothing is carried over from a neighbouring slice.
    public static func states(_ counts: SliceCounts, rule: SliceRule, unhealthy: [Bool]? = nil) -> [SliceState] {
        var states = [SliceState](repeating: .unknown, count: counts.grid.count)
        for slice in states.indices where unhealthy?[slice] != true {
            states[slice] = rule.state(probes: counts.probes[slice], failures: counts.failures[slice])
        }
        return states
    }
}
