/// How hard this vantage may probe: the `scheduler:` section of a configuration.
///
/// The limits keep ispwatch a measurement, never a load test on a provider: a bounded number of
/// probes in flight overall and per provider, and an optional per-provider rate.
public struct SchedulerSettings: Sendable, Hashable {
    /// Probes in flight at once, over all providers.
    public var maximumInFlight: Int
    /// The limits every provider gets unless overridden.
    public var providerLimits: ProviderProbeLimits
    /// Limits for named providers.
    public var providerOverrides: [String: ProviderProbeLimits]
    /// The re-probe interval while a series fails, or `nil` for a quarter of its interval (≥ 1 s).
    public var failingInterval: Duration?
    /// A probe that could not start within this delay of its slot is missed (and counted), or `nil`
    /// to wait until the next slot at most.
    public var maximumStartDelay: Duration?
    /// Where the file defined the section, for messages.
    public var definedAt: SourceLocation?

    /// Creates settings; the defaults are those of an unconfigured vantage.
    public init(
        maximumInFlight: Int = 4_096, providerLimits: ProviderProbeLimits = ProviderProbeLimits(),
        providerOverrides: [String: ProviderProbeLimits] = [:], failingInterval: Duration? = nil,
        maximumStartDelay: Duration? = nil, definedAt: SourceLocation? = nil
    ) {
        self.maximumInFlight = maximumInFlight
        self.providerLimits = providerLimits
        self.providerOverrides = providerOverrides
        self.failingInterval = failingInterval
        self.maximumStartDelay = maximumStartDelay
        self.definedAt = definedAt
    }
}

/// The limits on one provider's probes.
public struct ProviderProbeLimits: Sendable, Hashable {
    /// Probes of the provider in flight at once.
    public var maximumInFlight: Int
    /// Probes started per second at most, or `nil` for no rate limit.
    public var probesPerSecond: Double?
    /// How many probes may start at once after a quiet spell, when rate limited.
    public var burst: Int

    /// Creates limits.
    public init(maximumInFlight: Int = 1_024, probesPerSecond: Double? = nil, burst: Int = 100) {
        self.maximumInFlight = maximumInFlight
        self.probesPerSecond = probesPerSecond
        self.burst = burst
    }
}
