/// When a slice of one series is DOWN: at least `downShare` of its probes failed.
public struct SliceRule: Sendable, Hashable {
    /// The share of failed probes that makes a slice DOWN (default 0.5: half or more failed).
    public var downShare: Double

    /// Creates a rule; `downShare` is in (0, 1].
    public init(downShare: Double = 0.5) {
        precondition(downShare > 0 && downShare <= 1, "the DOWN share is in (0, 1]")
        self.downShare = downShare
    }

    /// The state of a slice with `probes` probes of which `failures` failed, before vantage health
    /// and maintenance are applied: UNKNOWN with no probe, never carried over from a neighbour.
    @inline(__always)
    public func state(probes: UInt16, failures: UInt16) -> SliceState {
        guard probes > 0 else { return .unknown }
        return Double(failures) >= downShare * Double(probes) ? .down : .up
    }
}
