import WatchCore

/// One message to the receivers: an alert firing (again) or resolved.
///
/// It carries everything a receiver needs, so the outbox can deliver it after a restart without the
/// state machine that produced it.
public struct AlertNotification: Sendable, Hashable, Codable {
    /// Firing or resolved.
    public enum Status: String, Sendable, Hashable, Codable {
        /// The alert is active.
        case firing
        /// The alert ended at ``AlertNotification/endsAt``.
        case resolved
    }

    /// Which alert.
    public var key: AlertKey
    /// Firing or resolved.
    public var status: Status
    /// How urgent.
    public var severity: AlertSeverity
    /// Identifying labels (Alertmanager groups, routes and inhibits by them); include `alertname`
    /// and `severity`.
    public var labels: [String: String]
    /// Human text: `summary`, `description`.
    public var annotations: [String: String]
    /// When the condition began (the first DOWN slice for a target).
    public var startsAt: Timestamp
    /// When it ended; `nil` while firing.
    public var endsAt: Timestamp?
    /// When the engine produced this notification.
    public var createdAt: Timestamp

    /// Creates a notification; `labels` gets `alertname` and `severity` added.
    public init(
        key: AlertKey, status: Status, severity: AlertSeverity, labels: [String: String],
        annotations: [String: String], startsAt: Timestamp, endsAt: Timestamp? = nil, createdAt: Timestamp
    ) {
        self.key = key
        self.status = status
        self.severity = severity
        var labels = labels
        labels["alertname"] = key.alertName
        labels["severity"] = severity.rawValue
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdAt = createdAt
    }

    /// The same alert, resolved at `end`.
    public func resolved(at end: Timestamp) -> AlertNotification {
        var copy = self
        copy.status = .resolved
        copy.endsAt = end
        copy.createdAt = end
        return copy
    }
}
