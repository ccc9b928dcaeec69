import WatchCore

/// The labels every per-series metric carries: `target`, `provider`, `service`, `kind`,
/// `ip_family` and `vantage`.
///
/// They say what a series is in the words of the configuration, so that a dashboard or an alert
/// rule can group by provider or service without a join. All values are bounded by the
/// configuration (never a probe's output), which keeps the exposition's cardinality at one label
/// set per configured series.
public struct SeriesLabels: Sendable, Hashable {
    /// The target's id (`viettel-dns-hn-1`).
    public var target: String
    /// The provider the target belongs to (`viettel`).
    public var provider: String
    /// The provider's service the target stands for (`dns`, `portal`).
    public var service: String
    /// The kind of probe.
    public var kind: ProbeKind
    /// The IP family the series is probed over; the label value is `v4` or `v6`.
    public var ipFamily: IPFamily
    /// The id of the vantage probing it.
    public var vantage: String

    /// Creates the labels of one series.
    public init(target: String, provider: String, service: String, kind: ProbeKind, ipFamily: IPFamily,
                vantage: String)
    {
        self.target = target
        self.provider = provider
        self.service = service
        self.kind = kind
        self.ipFamily = ipFamily
        self.vantage = vantage
    }

    /// The label set as written inside `{…}`, escaped, without the braces.
    var rendered: [UInt8] {
        ExpositionText.labels([
            ("target", target), ("provider", provider), ("service", service), ("kind", kind.rawValue),
            ("ip_family", ipFamily.rawValue), ("vantage", vantage),
        ])
    }
}
