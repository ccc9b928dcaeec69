import Foundation
#if canImport(FoundationNetworking)
// URLSession on Linux: swift-corelibs-foundation drives libcurl on its own threads and resumes the
// async call through a continuation, so a POST never blocks the cooperative pool. It is the simplest
// correct client here: notifications are a few small POSTs a minute, to a loopback or LAN
// Alertmanager, so NIO's performance buys nothing, while a hand-written NIOHTTP1 client would be
// code of ours to get right (framing, keep-alive, timeouts). CCurl is reserved to the HTTP prober.
import FoundationNetworking
#endif
import WatchCore

/// Alertmanager's API v2: `POST /api/v2/alerts` with a JSON array of one alert.
///
/// A firing alert is sent with `endsAt = now + firingValidity`: Alertmanager resolves an alert whose
/// `endsAt` has passed, so the engine re-sends firing alerts every ``AlertRules/resendInterval`` and
/// the validity is a few of those (Prometheus uses 4 × its resend delay); if ispwatch dies, the
/// alert resolves by itself rather than firing forever. A resolved alert carries its real end.
public struct AlertmanagerReceiver: AlertReceiver {
    /// `alertmanager`.
    public var name: String { "alertmanager" }
    /// The Alertmanager's base URL, e.g. `http://127.0.0.1:9093`.
    public let baseURL: URL
    /// How long a firing alert stays valid in Alertmanager without a re-send (default 4 min).
    public let firingValidity: Duration
    /// The longest a POST may take (default 10 s).
    public let timeout: Duration

    /// Creates a receiver posting to `baseURL`.
    public init(baseURL: URL, firingValidity: Duration = .seconds(240), timeout: Duration = .seconds(10)) {
        self.baseURL = baseURL
        self.firingValidity = firingValidity
        self.timeout = timeout
    }

    /// The request body for `notification` sent at `now`.
    public func body(for notification: AlertNotification, now: Timestamp) -> [UInt8] {
        var alert: [String: Any] = [
            "labels": notification.labels,
            "annotations": notification.annotations.filter { $0.key != "generator_url" },
            "startsAt": notification.startsAt.description,
        ]
        switch notification.status {
        case .firing: alert["endsAt"] = now.advanced(by: firingValidity).description
        case .resolved: alert["endsAt"] = (notification.endsAt ?? now).description
        }
        if let url = notification.annotations["generator_url"] { alert["generatorURL"] = url }
        // JSONSerialization of string dictionaries cannot fail.
        return [UInt8]((try? JSONSerialization.data(withJSONObject: [alert], options: [.sortedKeys])) ?? Data())
    }

    /// POSTs the notification; 2xx accepted, 429/5xx and transport errors retried, other 4xx refused.
    public func deliver(_ notification: AlertNotification, now: Timestamp) async -> DeliveryOutcome {
        var request = URLRequest(url: baseURL.appendingPathComponent("api/v2/alerts"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.timeoutInterval = timeout.seconds
        request.httpBody = Data(body(for: notification, now: now))
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            guard let http = response as? HTTPURLResponse else { return .retry("not an HTTP response") }
            return DeliveryOutcome(httpStatus: http.statusCode, body: String(decoding: data, as: UTF8.self))
        } catch {
            return .retry("\(error.localizedDescription)")
        }
    }
}
