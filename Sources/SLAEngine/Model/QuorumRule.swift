/// How several vantages' views of one target combine into the target's slice.
///
/// In each slice, the *reporting* vantages are those whose own slice of the target is UP or DOWN
/// (healthy, with at least one probe). With `n` reporting and `d` of them DOWN, the target's slice is
/// DOWN when `d ≥ min(Q, n)` and `n ≥ 1`: at least Q vantages agree, or every reporting vantage when
/// fewer than Q report. It is UP when `n ≥ 1` and it is not DOWN, UNKNOWN when `n = 0`.
public struct QuorumRule: Sendable, Hashable {
    /// Q: how many reporting vantages must see a slice DOWN (default 2).
    public var downVantages: Int

    /// Creates a rule; `downVantages` is at least 1.
    public init(downVantages: Int = 2) {
        precondition(downVantages >= 1, "the quorum is at least one vantage")
        self.downVantages = downVantages
    }

    /// The target's state from `reporting` vantages with a known state, `down` of which saw DOWN.
    @inline(__always)
    public func state(reporting: Int, down: Int) -> SliceState {
        guard reporting > 0 else { return .unknown }
        return down >= Swift.min(downVantages, reporting) ? .down : .up
    }
}
