/// What to probe and what to expect, for one target, independent of when it is probed.
public enum ProbeSpec: Sendable, Hashable {
    case dns(DNSProbeSpec)
    case http(HTTPProbeSpec)
    case tcp(TCPProbeSpec)
    case icmp(ICMPProbeSpec)

    /// The kind of prober this spec needs.
    public var kind: ProbeKind {
        switch self {
        case .dns: .dns
        case .http: .http
        case .tcp: .tcp
        case .icmp: .icmp
        }
    }
}

/// One probe to run now: a target's spec, the family to use and the deadline.
public struct ProbeRequest: Sendable, Hashable {
    /// The target this probe belongs to; copied into the result.
    public var target: TargetID
    /// What to probe.
    public var spec: ProbeSpec
    /// The IP family to use; `nil` uses whatever the address is (IP literals) or the system's
    /// preference (host names).
    public var ipFamily: IPFamily?
    /// The whole probe, every phase included, ends by then with a result.
    public var timeout: Duration
    /// The scheduler's slot for this probe, copied into the result.
    public var scheduledAt: Timestamp?

    /// Creates a request.
    public init(
        target: TargetID, spec: ProbeSpec, ipFamily: IPFamily? = nil, timeout: Duration = .seconds(5),
        scheduledAt: Timestamp? = nil
    ) {
        self.target = target
        self.spec = spec
        self.ipFamily = ipFamily
        self.timeout = timeout
        self.scheduledAt = scheduledAt
    }
}
