import Foundation
#if canImport(FoundationNetworking)
// The same client as AlertmanagerReceiver, for the same reasons (see there).
import FoundationNetworking
#endif
import WatchCore

/// A generic webhook receiving Alertmanager's webhook JSON (version 4), so that bridges written for
/// Alertmanager (chat, SMS, e-mail) take ispwatch's notifications unchanged.
///
/// Each POST carries one alert, its group being that alert alone: `status`, `groupLabels` and
/// `commonLabels` are its own, `groupKey` its dedup key. While firing, `endsAt` is
/// `0001-01-01T00:00:00Z`, as Alertmanager writes it.
public struct WebhookReceiver: AlertReceiver {
    /// `webhook`.
    public var name: String { "webhook" }
    /// Where to POST.
    public let url: URL
    /// The `receiver` field (the name of this receiver in the user's routing).
    public let receiverName: String
    /// The `externalURL` field: where ispwatch can be reached; empty when not set.
    public let externalURL: String
    /// The longest a POST may take (default 10 s).
    public let timeout: Duration

    /// Creates a receiver.
    public init(url: URL, receiverName: String = "ispwatch", externalURL: String = "", timeout: Duration = .seconds(10)) {
        self.url = url
        self.receiverName = receiverName
        self.externalURL = externalURL
        self.timeout = timeout
    }

    /// The message for `notification`.
    public func body(for notification: AlertNotification) -> [UInt8] {
        let status = notification.status.rawValue
        let alert: [String: Any] = [
            "status": status,
            "labels": notification.labels,
            "annotations": notification.annotations.filter { $0.key != "generator_url" },
            "startsAt": notification.startsAt.description,
            "endsAt": notification.endsAt.map(\.description) ?? "0001-01-01T00:00:00Z",
            "generatorURL": notification.annotations["generator_url"] ?? "",
            "fingerprint": Self.fingerprint(notification.labels),
        ]
        let message: [String: Any] = [
            "version": "4",
            "groupKey": notification.key.description,
            "truncatedAlerts": 0,
            "status": status,
            "receiver": receiverName,
            "groupLabels": ["alertname": notification.key.alertName],
            "commonLabels": notification.labels,
            "commonAnnotations": notification.annotations.filter { $0.key != "generator_url" },
            "externalURL": externalURL,
            "alerts": [alert],
        ]
        return [UInt8]((try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])) ?? Data())
    }

    /// A stable 16-hex-digit fingerprint of a label set (FNV-1a over the sorted pairs), like
    /// Alertmanager's: the same labels give the same fingerprint in every process.
    public static func fingerprint(_ labels: [String: String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) {
            for byte in name.utf8 + [0xff] + value.utf8 + [0xff] {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// POSTs the message; 2xx accepted, 429/5xx and transport errors retried, other 4xx refused.
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
