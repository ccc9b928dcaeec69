/// A complete, validated configuration: where this prober stands, whom it watches and what it
/// probes.
///
/// Build one with ``Configuration/load(_:)`` (several files) or ``Configuration/load(yaml:path:)``;
/// both validate everything and throw a ``ConfigurationError`` that lists every problem with its file
/// and line. A `Configuration` that exists is valid: every target names a known provider, every id is
/// unique, every timeout is shorter than its interval.
public struct Configuration: Sendable, Hashable {
    /// The vantage point this process probes from, when the configuration names one.
    public var vantage: Vantage?
    /// The providers whose services are probed, in file order.
    public var providers: [Provider]
    /// The targets to probe, in file order.
    public var targets: [Target]
    /// The `scheduler:` section (limits, re-probe interval), when a file has one.
    public var scheduler: SchedulerSettings?
    /// The defaults of the first file loaded. Each target already carries its resolved interval,
    /// timeout and IP families (a file's `defaults` apply to that file's targets only), so nothing
    /// downstream needs these; they are kept to be shown by tools.
    public var defaults: TargetDefaults
    /// Declared maintenance windows (`maintenance:`), in file order.
    public var maintenance: [MaintenanceWindow] = []
    /// Service-level objectives (`objectives:`), in file order.
    public var objectives: [ServiceObjective] = []
    /// The `alerting:` section (rules, receivers, routes), when a file has one.
    public var alerting: AlertingSettings?
    /// The `server:` section (tokens, public status pages, limits), when a file has one.
    public var server: ServerSettings?
    /// The `remote_write:` section (Prometheus remote-write receiver and queue), when a file has one.
    public var remoteWrite: RemoteWriteSettings?

    /// Creates a configuration from parts that are already valid; no checks are made.
    public init(
        vantage: Vantage? = nil, providers: [Provider] = [], targets: [Target] = [],
        defaults: TargetDefaults = .standard, scheduler: SchedulerSettings? = nil,
        maintenance: [MaintenanceWindow] = [], objectives: [ServiceObjective] = []
    ) {
        self.scheduler = scheduler
        self.vantage = vantage
        self.providers = providers
        self.targets = targets
        self.defaults = defaults
        self.maintenance = maintenance
        self.objectives = objectives
    }

    /// The provider with `id`, if any.
    public func provider(_ id: String) -> Provider? {
        providers.first { $0.id == id }
    }

    /// Every series this configuration produces: one per target and IP family, from this vantage.
    public var series: [SeriesKey] {
        let vantageID = vantage?.id ?? Vantage.unnamedID
        return targets.flatMap { $0.seriesKeys(vantage: vantageID) }
    }
}

/// The values a target takes when it does not set them itself.
///
/// These are the only defaults of the target level; the defaults of each probe kind (DNS port 53,
/// HTTP method GET, three ICMP echoes, …) are those of the spec types' initialisers.
public struct TargetDefaults: Sendable, Hashable {
    /// How often each target is probed.
    public var interval: Duration
    /// How long one probe may take, every phase included. Always shorter than `interval`.
    public var timeout: Duration
    /// The IP families probed when a target does not say (and its host is not an IP literal).
    public var ipFamilies: IPFamilySelection

    /// Creates defaults.
    public init(interval: Duration, timeout: Duration, ipFamilies: IPFamilySelection) {
        self.interval = interval
        self.timeout = timeout
        self.ipFamilies = ipFamilies
    }

    /// The built-in defaults: every 30 s, 5 s timeout, IPv4 only.
    public static let standard = TargetDefaults(interval: .seconds(30), timeout: .seconds(5), ipFamilies: .v4)

    /// The shortest interval allowed: faster probing is load on the provider, not measurement.
    public static let minimumInterval: Duration = .seconds(1)
}
