import SLAEngine

/// The SLA engine's flapping rule (``FlappingDetector``), fed one slice at a time, with a lower
/// threshold to end an episode.
///
/// A change is an UP or DOWN slice that differs from the last UP or DOWN slice before it; the window
/// ending at the latest slice holds the changes at its last `W − 1` slices. Flapping starts when the
/// window holds at least `C` changes and ends when it holds fewer than `clearBelow`.
public struct FlappingWindow: Sendable, Hashable {
    /// C and W.
    public let rule: FlappingRule
    /// The change count under which an episode ends.
    public let clearBelow: Int
    /// Whether an episode is under way.
    public private(set) var isFlapping = false
    /// Changes in the current window.
    public private(set) var changes = 0
    private var lastKnown: SliceState?
    // The change flags of the last W − 1 slices, oldest first, as a ring.
    private var flags: [Bool]
    private var next = 0

    /// Creates a window with no history.
    public init(rule: FlappingRule, clearBelow: Int) {
        self.rule = rule
        self.clearBelow = Swift.min(clearBelow, rule.changes)
        flags = Array(repeating: false, count: rule.window - 1)
    }

    /// Feeds the next slice's state; returns `true` when an episode starts or ends with it.
    public mutating func feed(_ state: SliceState) -> Bool {
        var change = false
        if state == .up || state == .down {
            if let previous = lastKnown, previous != state { change = true }
            lastKnown = state
        }
        if flags[next] { changes -= 1 }
        flags[next] = change
        if change { changes += 1 }
        next = (next + 1) % flags.count
        if !isFlapping, changes >= rule.changes {
            isFlapping = true
            return true
        }
        if isFlapping, changes < clearBelow {
            isFlapping = false
            return true
        }
        return false
    }
}
