import Foundation

/// One notification the lab's webhook receiver got (Alertmanager's v4 webhook JSON, one alert each).
public struct ReceivedPage: Sendable, Hashable, Codable {
    /// `firing` or `resolved`.
    public var status: String
    /// The alert's labels (`alertname`, `provider`, `target`, …).
    public var labels: [String: String]
    /// The alert's `startsAt`, as sent.
    public var startsAt: String
    /// The alert's `endsAt`, as sent (a resolve's is the outage's end).
    public var endsAt: String
    /// When it arrived.
    public var receivedAt: Date

    /// The alert's name.
    public var alertName: String { labels["alertname"] ?? "?" }
    /// Whether this is a resolve.
    public var isResolve: Bool { status == "resolved" }

    /// The alerts of one webhook body; empty when it is not the v4 webhook JSON.
    static func decode(_ body: Data, receivedAt: Date) -> [ReceivedPage] {
        guard let message = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let alerts = message["alerts"] as? [[String: Any]]
        else { return [] }
        return alerts.map { alert in
            ReceivedPage(
                status: alert["status"] as? String ?? message["status"] as? String ?? "?",
                labels: alert["labels"] as? [String: String] ?? [:],
                startsAt: alert["startsAt"] as? String ?? "", endsAt: alert["endsAt"] as? String ?? "",
                receivedAt: receivedAt)
        }
    }
}
