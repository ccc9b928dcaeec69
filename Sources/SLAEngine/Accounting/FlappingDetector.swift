/// Finds flapping episodes in a sequence of slice states.
///
/// A *change* happens at slice `k` when `k` is UP or DOWN and differs from the last UP or DOWN
/// slice before it (UNKNOWN and MAINTENANCE slices are skipped, never counted as a change). The
/// window ending at slice `i` is the `W` slices `[i − W + 1, i]` and holds the changes at its
/// slices `[i − W + 2, i]` (the `W − 1` places between its slices). A window with at least `C`
/// changes is flapping; overlapping or touching flapping windows merge into one episode.
public enum FlappingDetector {
    /// An episode: slices `first ..< end`, and the most changes one of its windows held.
    public struct Span: Sendable, Hashable {
        /// The first slice of the first flapping window.
        public var first: Int
        /// The slice after the last slice of the last flapping window.
        public var end: Int
        /// The most changes in one window of the episode.
        public var peakChanges: Int
    }

    /// The flapping episodes of `states`, in time order.
    public static func episodes(in states: [SliceState], rule: FlappingRule) -> [Span] {
        guard !states.isEmpty else { return [] }
        // changesUpTo[k + 1] = changes at slices 0 … k.
        var changesUpTo = [Int](repeating: 0, count: states.count + 1)
        var lastKnown: SliceState?
        for (slice, state) in states.enumerated() {
            var change = 0
            if state == .up || state == .down {
                if let previous = lastKnown, previous != state { change = 1 }
                lastKnown = state
            }
            changesUpTo[slice + 1] = changesUpTo[slice] + change
        }
        var spans: [Span] = []
        for last in states.indices {
            let firstOfWindow = Swift.max(0, last - rule.window + 1)
            let changes = changesUpTo[last + 1] - changesUpTo[Swift.min(last + 1, firstOfWindow + 1)]
            guard changes >= rule.changes else { continue }
            if let previous = spans.last, firstOfWindow <= previous.end {
                spans[spans.count - 1].end = last + 1
                spans[spans.count - 1].peakChanges = Swift.max(previous.peakChanges, changes)
            } else {
                spans.append(Span(first: firstOfWindow, end: last + 1, peakChanges: changes))
            }
        }
        return spans
    }
}
