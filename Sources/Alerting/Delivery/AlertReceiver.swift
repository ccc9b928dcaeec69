import WatchCore

/// What a receiver made of a delivery.
public enum DeliveryOutcome: Sendable, Hashable {
    /// Accepted (2xx): remove it from the outbox.
    case accepted
    /// Not now (transport error, 429, 5xx): try again after a backoff.
    case retry(String)
    /// Refused for good (4xx other than 429): retrying would fail the same way; drop it, log why.
    case rejected(String)

    /// The outcome of an HTTP response with status `status`.
    public init(httpStatus status: Int, body: String) {
        switch status {
        case 200..<300: self = .accepted
        case 429, 500..<600: self = .retry("HTTP \(status): \(body.prefix(200))")
        case 400..<500: self = .rejected("HTTP \(status): \(body.prefix(200))")
        default: self = .retry("unexpected HTTP \(status)")
        }
    }
}

/// Somewhere notifications go (Alertmanager; later a webhook, PagerDuty).
public protocol AlertReceiver: Sendable {
    /// A short name for logs, e.g. `alertmanager`.
    var name: String { get }
    /// Delivers one notification at `now`; never throws (a failure is an outcome).
    func deliver(_ notification: AlertNotification, now: Timestamp) async -> DeliveryOutcome
}
