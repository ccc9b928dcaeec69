/// One thing to probe, on a schedule: a provider's service, what to send it and what to expect.
public struct Target: Sendable, Hashable {
    /// The target's id, unique in the configuration, e.g. `viettel-dns-hn-1`.
    public var id: TargetID
    /// The id of the ``Provider`` that runs the service.
    public var provider: String
    /// What the service is, as a free label (`dns`, `portal`, `mail`, …); defaults to the probe kind.
    public var service: String
    /// Where the service is, e.g. `hanoi`.
    public var region: String?
    /// Free labels, copied onto the target's series.
    public var labels: [String: String]
    /// How often the target is probed.
    public var interval: Duration
    /// How long one probe may take, every phase included; always shorter than `interval`.
    public var timeout: Duration
    /// The IP families probed, one series each.
    public var ipFamilies: IPFamilySelection
    /// What to probe and what to expect.
    public var spec: ProbeSpec
    /// Where the target was defined, for messages.
    public var definedAt: SourceLocation?

    /// Creates a target; the service defaults to the spec's kind (`dns`, `http`, …).
    public init(
        id: TargetID, provider: String, service: String? = nil, region: String? = nil,
        labels: [String: String] = [:], interval: Duration = TargetDefaults.standard.interval,
        timeout: Duration = TargetDefaults.standard.timeout,
        ipFamilies: IPFamilySelection = TargetDefaults.standard.ipFamilies, spec: ProbeSpec,
        definedAt: SourceLocation? = nil
    ) {
        self.id = id
        self.provider = provider
        self.service = service ?? spec.kind.rawValue
        self.region = region
        self.labels = labels
        self.interval = interval
        self.timeout = timeout
        self.ipFamilies = ipFamilies
        self.spec = spec
        self.definedAt = definedAt
    }

    /// The probes to run for one scheduled slot: one per IP family, so `both` gives two requests
    /// (two series) and a broken IPv6 path is never hidden behind a working IPv4 one.
    ///
    /// - Parameter scheduledAt: the scheduler's slot, copied into each request and its result.
    /// - Returns: one request per family, in the order of ``IPFamilySelection/families``.
    public func requests(scheduledAt: Timestamp?) -> [ProbeRequest] {
        ipFamilies.families.map { family in
            ProbeRequest(target: id, spec: spec, ipFamily: family, timeout: timeout, scheduledAt: scheduledAt)
        }
    }

    /// The series this target produces from one vantage: one per IP family.
    public func seriesKeys(vantage: String) -> [SeriesKey] {
        ipFamilies.families.map { SeriesKey(target: id, vantage: vantage, family: $0) }
    }
}
