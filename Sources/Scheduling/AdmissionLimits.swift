import WatchCore

/// How many probes may run at once and how fast they may start, so ispwatch never becomes a load
/// test on a provider.
public struct AdmissionLimits: Sendable, Hashable {
    /// The most probes in flight at once, over all providers.
    public var maximumInFlight: Int
    /// The limits every provider gets unless ``providerOverrides`` names it.
    public var perProvider: ProviderLimits
    /// Limits for particular providers, by provider id.
    public var providerOverrides: [String: ProviderLimits]
    /// How late a probe may start at most; the probe's own bound (its interval, see
    /// ``ScheduledProbe/latestStart``) applies when it is shorter or when this is `nil`.
    public var maximumStartDelay: Duration?
    /// A probe started at most this late counts as started on time.
    public var onTimeTolerance: Duration

    /// Creates limits.
    public init(
        maximumInFlight: Int = 10_000, perProvider: ProviderLimits = ProviderLimits(),
        providerOverrides: [String: ProviderLimits] = [:], maximumStartDelay: Duration? = nil,
        onTimeTolerance: Duration = .milliseconds(50)
    ) {
        self.maximumInFlight = max(1, maximumInFlight)
        self.perProvider = perProvider
        self.providerOverrides = providerOverrides
        self.maximumStartDelay = maximumStartDelay
        self.onTimeTolerance = onTimeTolerance
    }

    /// The limits of `provider`.
    public func limits(of provider: String) -> ProviderLimits {
        providerOverrides[provider] ?? perProvider
    }
}

/// One provider's limits: probes in flight and the start rate.
public struct ProviderLimits: Sendable, Hashable {
    /// The most probes of this provider in flight at once.
    public var maximumInFlight: Int
    /// Probe starts per second, on average; `nil` for no rate limit.
    public var probesPerSecond: Double?
    /// How many starts may come at once when the bucket is full.
    public var burst: Int

    /// Creates provider limits.
    public init(maximumInFlight: Int = 1_000, probesPerSecond: Double? = nil, burst: Int = 100) {
        self.maximumInFlight = max(1, maximumInFlight)
        self.probesPerSecond = probesPerSecond.flatMap { $0 > 0 ? $0 : nil }
        self.burst = max(1, burst)
    }
}
