/// What one slice of one series (or one target, after the quorum) was.
public enum SliceState: UInt8, Sendable, Hashable, CaseIterable {
    /// Probed, and not DOWN.
    case up
    /// At least the configured share of its probes failed (default 50 %).
    case down
    /// Nothing measured, or the vantage was unhealthy: neither up nor down.
    case unknown
    /// Inside a declared maintenance window (declared in time).
    case maintenance
}
