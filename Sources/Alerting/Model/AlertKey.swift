import WatchCore

/// What one alert is about; two notifications with the same key are the same alert.
///
/// The dedup key is `provider/service/target/family[/vantage]` for a target (the family is part of
/// it because a target probed over both families is two units, as in the SLA engine),
/// `provider` for a provider-wide outage and `platform/vantage/ID` for an unhealthy vantage.
public struct AlertKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The rule that raised it (Alertmanager's `alertname`), e.g. `TargetDown`.
    public var alertName: String
    /// The stable deduplication key (PagerDuty's `dedup_key`).
    public var dedupKey: String

    /// Creates a key.
    public init(alertName: String, dedupKey: String) {
        self.alertName = alertName
        self.dedupKey = dedupKey
    }

    /// The key of a target unit's alert named `alertName`.
    public static func target(
        _ alertName: String, provider: String, service: String, target: TargetID, family: IPFamily, vantage: String? = nil
    ) -> AlertKey {
        var key = "\(provider)/\(service)/\(target.rawValue)/\(family.rawValue)"
        if let vantage { key += "/\(vantage)" }
        return AlertKey(alertName: alertName, dedupKey: key)
    }

    /// `alertname:dedupKey`, unique across rules (the outbox keeps one pending notification per key).
    public var description: String { "\(alertName):\(dedupKey)" }

    /// Orders by rule, then dedup key.
    public static func < (lhs: AlertKey, rhs: AlertKey) -> Bool {
        (lhs.alertName, lhs.dedupKey) < (rhs.alertName, rhs.dedupKey)
    }
}
