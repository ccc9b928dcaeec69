import WatchCore

/// Decides whether this vantage's own network works, from its control probes: a value-type state
/// machine with no clock of its own.
///
/// The vantage is unhealthy when every control with a recent result failed its latest probe:
/// when two well-known anycast resolvers and a domestic portal all fail at once, the broken thing is
/// the vantage, and its results say nothing about providers. One working control is enough to be
/// healthy. A control's result is recent for `staleAfter` (two of its intervals, by default); with
/// no recent control result at all the verdict stays what it was (no evidence either way), and a
/// vantage without controls is always healthy.
public struct VantageHealthMonitor: Sendable {
    /// What the monitor concluded.
    public enum Verdict: String, Sendable, Hashable {
        case healthy
        case unhealthy
    }

    private struct Latest {
        var succeeded: Bool
        var at: Timestamp
        var staleAfter: Duration
    }

    private var latest: [SeriesKey: Latest] = [:]
    private var staleAfter: [SeriesKey: Duration] = [:]
    /// The current verdict.
    public private(set) var verdict: Verdict = .healthy
    /// When the verdict last changed, or `nil` before the first change.
    public private(set) var changedAt: Timestamp?
    /// The start of the latest successful control probe: the last time this vantage was known to
    /// work. An unhealthy spell is taken to begin just after it, since the break happened somewhere
    /// between that success and the failures that revealed it.
    public private(set) var lastSuccessAt: Timestamp?

    /// Creates a monitor for the control series `controls`, each with the time after which its last
    /// result no longer counts.
    public init(controls: [SeriesKey: Duration] = [:]) {
        staleAfter = controls
    }

    /// The control series watched.
    public var controls: Set<SeriesKey> { Set(staleAfter.keys) }

    /// Replaces the set of controls (a reload), keeping the latest results of those that remain.
    public mutating func setControls(_ controls: [SeriesKey: Duration]) {
        staleAfter = controls
        latest = latest.filter { controls[$0.key] != nil }
        if controls.isEmpty, verdict != .healthy { verdict = .healthy }
    }

    /// Records a control's result and returns the verdict after it.
    @discardableResult
    public mutating func record(control: SeriesKey, succeeded: Bool, at now: Timestamp) -> Verdict {
        guard let stale = staleAfter[control] else { return verdict }
        latest[control] = Latest(succeeded: succeeded, at: now, staleAfter: stale)
        if succeeded, lastSuccessAt.map({ $0 < now }) ?? true { lastSuccessAt = now }
        return evaluate(at: now)
    }

    /// Re-evaluates at `now` (stale results drop out) and returns the verdict.
    @discardableResult
    public mutating func evaluate(at now: Timestamp) -> Verdict {
        var recent = 0, failing = 0
        for entry in latest.values where now.nanosecondsSinceEpoch - entry.at.nanosecondsSinceEpoch <= entry.staleAfter.nanoseconds {
            recent += 1
            if !entry.succeeded { failing += 1 }
        }
        let next: Verdict
        if staleAfter.isEmpty {
            next = .healthy
        } else if recent == 0 {
            next = verdict
        } else {
            next = failing == recent ? .unhealthy : .healthy
        }
        if next != verdict {
            verdict = next
            changedAt = now
        }
        return verdict
    }

    /// Controls whose latest recent result failed, at `now`.
    public func failingControls(at now: Timestamp) -> Int {
        latest.values.filter {
            !$0.succeeded && now.nanosecondsSinceEpoch - $0.at.nanosecondsSinceEpoch <= $0.staleAfter.nanoseconds
        }.count
    }
}
