/// When a series of slices is flapping: at least `changes` state changes among the last `window`
/// slices (default 6 in 21, the Nagios/Naemon history length).
public struct FlappingRule: Sendable, Hashable {
    /// State changes that make a window flapping (default 6).
    public var changes: Int
    /// Slices per window (default 21).
    public var window: Int

    /// Creates a rule; `changes` is at least 1 and `window` at least 2.
    public init(changes: Int = 6, window: Int = 21) {
        precondition(changes >= 1 && window >= 2, "flapping needs a change count ≥ 1 and a window ≥ 2 slices")
        self.changes = changes
        self.window = window
    }
}
