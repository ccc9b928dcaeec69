/// How urgent an alert is; the names are PagerDuty's `payload.severity` values.
public enum AlertSeverity: String, Sendable, Hashable, Codable, CaseIterable {
    /// A full outage: page now.
    case critical
    /// A partial outage.
    case error
    /// A degradation.
    case warning
    /// Flapping or a monitoring gap: a notice, not a page.
    case info
}
