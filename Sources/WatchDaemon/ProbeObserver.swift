import WatchCore

/// Receives what the probe loop sees, as it happens: live metrics and, later, alert evaluation.
///
/// Called from the loop's task; implementations must return quickly and never block.
public protocol ProbeObserver: Sendable {
    /// A probe finished; `plan` is the series it belongs to and `target` what was probed.
    func observe(_ result: ProbeResult, plan: SeriesPlan, target: Target)
    /// The set of series changed (start-up and every successful reload).
    func catalogChanged(_ catalog: SeriesCatalog)
    /// The loop's figures, about once a second.
    func statusUpdated(_ status: ProbeLoopStatus)
}
