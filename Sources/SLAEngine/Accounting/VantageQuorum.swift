/// Combines the slice states of one target seen from several vantages (see ``QuorumRule``).
public enum VantageQuorum {
    /// The target's states: slice by slice, the quorum of the vantages' UP/DOWN states; UNKNOWN
    /// (and MAINTENANCE, which per-series states never hold) do not report.
    public static func combine(_ vantageStates: [[SliceState]], rule: QuorumRule) -> [SliceState] {
        guard let count = vantageStates.first?.count else { return [] }
        precondition(vantageStates.allSatisfy { $0.count == count }, "every vantage on the same grid")
        if vantageStates.count == 1 { return vantageStates[0].map { $0 == .maintenance ? .unknown : $0 } }
        var combined = [SliceState](repeating: .unknown, count: count)
        for slice in 0..<count {
            var reporting = 0, down = 0
            for states in vantageStates {
                switch states[slice] {
                case .up: reporting += 1
                case .down: reporting += 1; down += 1
                case .unknown, .maintenance: break
                }
            }
            combined[slice] = rule.state(reporting: reporting, down: down)
        }
        return combined
    }
}
