import SLAEngine
import WatchCore

/// Every parameter of alert evaluation, in one value. The slice, quorum, incident and flapping rules
/// are the SLA engine's own types, so a page and the report's incident follow the same definition
/// (docs/SLA.md sections 3, 5, 8, 9).
public struct AlertRules: Sendable, Hashable {
    /// The accounting rules shared with the SLA engine: slice width, DOWN share, quorum, K/M
    /// hysteresis, flapping.
    public var accounting: AccountingRules
    /// How long after a slice ends it is closed and judged, so that probes started at its end have
    /// finished (default 15 s: the longest usual probe timeout plus margin). Later results are dropped.
    public var sliceCloseDelay: Duration
    /// Severity of a target-down page (default critical).
    public var targetDownSeverity: AlertSeverity
    /// A flapping episode ends when its window holds fewer changes than this (default 3: Naemon's low
    /// threshold next to the high threshold of 6).
    public var flappingClearBelow: Int
    /// How long a vantage must stay unhealthy before the platform is paged (default 60 s).
    public var vantageUnhealthyFor: Duration
    /// The share of a provider's units with an open target-down alert that makes a provider-wide
    /// outage (default 0.5).
    public var providerOutageShare: Double
    /// The fewest units a provider must have for a provider-wide alert (default 2: with one target it
    /// is that target's alert).
    public var providerOutageMinimumUnits: Int
    /// How often a firing alert is sent again (default 60 s, Prometheus' resend delay); receivers
    /// that expire alerts (Alertmanager) keep it alive that way.
    public var resendInterval: Duration
    /// Labels added to the platform's pages (default `team: platform`).
    public var platformLabels: [String: String]
    /// Latency and failure-rate rules (default none).
    public var degradations: [DegradationRule]
    /// Objectives watched for their error-budget burn rate (default none).
    public var burnRates: [BurnRateObjective]
    /// Where a human can see the alert's source (Alertmanager's `generatorURL`), e.g. ispwatch's
    /// status page; `nil` for none.
    public var generatorURL: String?

    /// Creates rules with the documented defaults.
    public init(
        accounting: AccountingRules = AccountingRules(), sliceCloseDelay: Duration = .seconds(15),
        targetDownSeverity: AlertSeverity = .critical, flappingClearBelow: Int = 3,
        vantageUnhealthyFor: Duration = .seconds(60), providerOutageShare: Double = 0.5,
        providerOutageMinimumUnits: Int = 2, resendInterval: Duration = .seconds(60),
        platformLabels: [String: String] = ["team": "platform"], degradations: [DegradationRule] = [],
        burnRates: [BurnRateObjective] = [], generatorURL: String? = nil
    ) {
        precondition(providerOutageShare > 0 && providerOutageShare <= 1, "the provider outage share is in (0, 1]")
        self.accounting = accounting
        self.sliceCloseDelay = sliceCloseDelay
        self.targetDownSeverity = targetDownSeverity
        self.flappingClearBelow = flappingClearBelow
        self.vantageUnhealthyFor = vantageUnhealthyFor
        self.providerOutageShare = providerOutageShare
        self.providerOutageMinimumUnits = providerOutageMinimumUnits
        self.resendInterval = resendInterval
        self.platformLabels = platformLabels
        self.degradations = degradations
        self.burnRates = burnRates
        self.generatorURL = generatorURL
    }
}
