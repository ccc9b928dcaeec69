/// The `alerting:` section of a configuration: how pages are decided (rule settings), where they go
/// (receivers) and which go where (routes). Every rule setting left out (`nil`) takes the alerting
/// engine's default, which is the SLA accounting's (docs/ALERTING.md).
public struct AlertingSettings: Sendable, Hashable {
    /// The width of a slice (default 1 min, the SLA engine's).
    public var sliceWidth: Duration?
    /// How long after a slice ends it is judged (default 15 s).
    public var sliceCloseDelay: Duration?
    /// K: consecutive DOWN slices that open an incident and fire `TargetDown` (default 3).
    public var downSlicesToFire: Int?
    /// M: consecutive UP slices that close it and resolve the alert (default 5).
    public var upSlicesToResolve: Int?
    /// The share of failed probes that makes a slice DOWN (default 0.5).
    public var downShare: Double?
    /// How many vantages must see a slice DOWN (default 2, or every reporting vantage when fewer).
    public var quorum: Int?
    /// The share of a provider's targets down that makes one provider-wide page (default 0.5).
    public var providerOutageShare: Double?
    /// How long the vantage must be unhealthy before the platform is paged (default 60 s).
    public var vantageUnhealthyFor: Duration?
    /// How often a firing alert is sent again (default 60 s).
    public var resendInterval: Duration?
    /// Where notifications can go, in file order; names are unique.
    public var receivers: [AlertReceiverSettings]
    /// Which notifications go where, tried in order; empty: every notification to every receiver.
    public var routes: [AlertRouteSettings]
    /// Where the file defined the section, for messages.
    public var definedAt: SourceLocation?

    /// Creates settings.
    public init(
        sliceWidth: Duration? = nil, sliceCloseDelay: Duration? = nil, downSlicesToFire: Int? = nil,
        upSlicesToResolve: Int? = nil, downShare: Double? = nil, quorum: Int? = nil,
        providerOutageShare: Double? = nil, vantageUnhealthyFor: Duration? = nil, resendInterval: Duration? = nil,
        receivers: [AlertReceiverSettings] = [], routes: [AlertRouteSettings] = [], definedAt: SourceLocation? = nil
    ) {
        self.sliceWidth = sliceWidth
        self.sliceCloseDelay = sliceCloseDelay
        self.downSlicesToFire = downSlicesToFire
        self.upSlicesToResolve = upSlicesToResolve
        self.downShare = downShare
        self.quorum = quorum
        self.providerOutageShare = providerOutageShare
        self.vantageUnhealthyFor = vantageUnhealthyFor
        self.resendInterval = resendInterval
        self.receivers = receivers
        self.routes = routes
        self.definedAt = definedAt
    }
}

/// One entry of `alerting.receivers`.
public struct AlertReceiverSettings: Sendable, Hashable {
    /// What kind of receiver, with its settings.
    public enum Kind: Sendable, Hashable {
        /// Alertmanager's API v2 at `baseURL` (e.g. `http://127.0.0.1:9093`).
        case alertmanager(baseURL: String)
        /// A webhook taking Alertmanager's v4 webhook JSON.
        case webhook(url: String)
        /// PagerDuty's Events API v2 with an integration key; `url` replaces PagerDuty's endpoint
        /// (`nil`: `https://events.pagerduty.com/v2/enqueue`).
        case pagerDuty(routingKey: String, url: String?)
    }

    /// Its name, referred to by routes; also the name of its outbox directory.
    public var name: String
    /// Its kind and settings.
    public var kind: Kind

    /// Creates a receiver entry.
    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// One entry of `alerting.routes`.
public struct AlertRouteSettings: Sendable, Hashable {
    /// Labels a notification must carry with these values (empty: all).
    public var match: [String: String]
    /// The receiver's name.
    public var receiver: String
    /// How often a firing alert is forwarded again on this route (`nil`: at every re-send).
    public var repeatInterval: Duration?
    /// Whether later routes are tried too after this one matched.
    public var continueMatching: Bool

    /// Creates a route entry.
    public init(match: [String: String] = [:], receiver: String, repeatInterval: Duration? = nil, continueMatching: Bool = false) {
        self.match = match
        self.receiver = receiver
        self.repeatInterval = repeatInterval
        self.continueMatching = continueMatching
    }
}
