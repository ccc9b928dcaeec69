import WatchCore

/// A target that answers, but badly: a latency percentile or a failure rate over a sliding window
/// of slices above a threshold (e.g. p95 > 50 ms over 15 min; DNS failures > 5 % over 10 min).
///
/// Evaluated per unit when each slice closes, over the probes of its healthy vantages (prober faults
/// left out, as in the SLA engine); fires while the window's figure is above the threshold, resolves
/// when it is back at or below it. Maintenance slices are skipped (they neither fire nor resolve).
public struct DegradationRule: Sendable, Hashable {
    /// What is measured over the window.
    public enum Condition: Sendable, Hashable {
        /// The `quantile` (e.g. 0.95) of successful probes' total latency is above `threshold`.
        case latencyAbove(quantile: Double, threshold: Duration)
        /// The share of failed probes is above `share` (e.g. 0.05).
        case failureRateAbove(share: Double)
    }

    /// The alert's name (Alertmanager's `alertname`), e.g. `DNSLatencyHigh`.
    public var name: String
    /// The condition.
    public var condition: Condition
    /// The window, rounded up to whole slices.
    public var window: Duration
    /// Services it applies to; empty for every service.
    public var services: [String]
    /// Probe kinds it applies to; empty for every kind.
    public var kinds: [ProbeKind]
    /// The fewest probes (successful ones, for latency) the window must hold to be judged (default 10).
    public var minimumProbes: Int
    /// How urgent (default warning: a degradation is not an outage).
    public var severity: AlertSeverity

    /// Creates a rule.
    public init(
        name: String, condition: Condition, window: Duration, services: [String] = [], kinds: [ProbeKind] = [],
        minimumProbes: Int = 10, severity: AlertSeverity = .warning
    ) {
        self.name = name
        self.condition = condition
        self.window = window
        self.services = services
        self.kinds = kinds
        self.minimumProbes = minimumProbes
        self.severity = severity
    }

    func applies(service: String, kind: ProbeKind) -> Bool {
        (services.isEmpty || services.contains(service)) && (kinds.isEmpty || kinds.contains(kind))
    }

    /// The figure, as text, e.g. `p95 latency 73.2 ms > 50.0 ms over 900 s`.
    func describe(_ value: Double) -> String {
        switch condition {
        case .latencyAbove(let quantile, let threshold):
            let p = Int((quantile * 100).rounded())
            return "p\(p) latency \(format(value / 1_000)) ms > \(format(threshold.seconds * 1_000)) ms over \(window)"
        case .failureRateAbove(let share):
            return "failure rate \(format(value * 100)) % > \(format(share * 100)) % over \(window)"
        }
    }

    private func format(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return "\(tenths)"
    }
}
