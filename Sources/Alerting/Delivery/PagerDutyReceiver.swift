import Foundation
#if canImport(FoundationNetworking)
// The same client as AlertmanagerReceiver, for the same reasons (see there).
import FoundationNetworking
#endif
import WatchCore

/// PagerDuty's Events API v2: `POST /v2/enqueue` with one `trigger` or `resolve` event per
/// notification, keyed by the alert's dedup key.
///
/// PagerDuty applies events with the same `dedup_key` and `routing_key` to the open alert, so the
/// engine's re-sends of a firing alert do not page twice, and a resolve closes exactly the alert it
/// opened. PagerDuty answers 202 when it accepted an event, 400 when the event is invalid (retrying
/// cannot help: dropped) and 429 or 5xx when it wants the event again later.
public struct PagerDutyReceiver: AlertReceiver {
    /// PagerDuty's public endpoint.
    public static let defaultURL = URL(string: "https://events.pagerduty.com/v2/enqueue")!

    /// `pagerduty`.
    public var name: String { "pagerduty" }
    /// The integration key of the PagerDuty service (`routing_key`).
    public let routingKey: String
    /// Where to POST (PagerDuty's endpoint unless a test or a proxy says otherwise).
    public let url: URL
    /// The `client` field: who sends the events.
    public let client: String
    /// The longest a POST may take (default 10 s).
    public let timeout: Duration

    /// Creates a receiver.
    public init(routingKey: String, url: URL = Self.defaultURL, client: String = "ispwatch", timeout: Duration = .seconds(10)) {
        self.routingKey = routingKey
        self.url = url
        self.client = client
        self.timeout = timeout
    }

    /// The event for `notification`: a trigger while firing, a resolve once resolved.
    ///
    /// `payload.source` is what is broken (the target, the vantage, else the provider), the labels
    /// go to `component` (service), `group` (provider) and `class` (alert name), and every label and
    /// annotation to `custom_details`, so that PagerDuty's own rules can match on them.
    public func body(for notification: AlertNotification) -> [UInt8] {
        var event: [String: Any] = [
            "routing_key": routingKey,
            "dedup_key": String(notification.key.dedupKey.prefix(255)),
            "client": client,
        ]
        switch notification.status {
        case .resolved:
            event["event_action"] = "resolve"
        case .firing:
            event["event_action"] = "trigger"
            let labels = notification.labels
            var details: [String: Any] = ["labels": labels, "starts_at": notification.startsAt.description]
            for (name, value) in notification.annotations where name != "summary" { details[name] = value }
            var payload: [String: Any] = [
                "summary": String((notification.annotations["summary"] ?? notification.key.description).prefix(1_024)),
                "source": labels["target"] ?? labels["vantage"] ?? labels["provider"] ?? notification.key.dedupKey,
                "severity": notification.severity.rawValue,
                "timestamp": notification.startsAt.description,
                "class": notification.key.alertName,
                "custom_details": details,
            ]
            if let service = labels["service"] { payload["component"] = service }
            if let provider = labels["provider"] { payload["group"] = provider }
            event["payload"] = payload
            if let url = notification.annotations["generator_url"] { event["client_url"] = url }
        }
        return [UInt8]((try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys])) ?? Data())
    }

    /// POSTs the event; 2xx (202) accepted, 429/5xx and transport errors retried, other 4xx refused.
    public func deliver(_ notification: AlertNotification, now: Timestamp) async -> DeliveryOutcome {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.timeoutInterval = timeout.seconds
        request.httpBody = Data(body(for: notification))
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            guard let http = response as? HTTPURLResponse else { return .retry("not an HTTP response") }
            return DeliveryOutcome(httpStatus: http.statusCode, body: String(decoding: data, as: UTF8.self))
        } catch {
            return .retry("\(error.localizedDescription)")
        }
    }
}
