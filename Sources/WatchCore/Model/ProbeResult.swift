/// The outcome of one probe of one target over one IP family.
///
/// A target that is down is data, not an error: every prober returns a result, with `success`
/// false and a bounded `failure` reason, and never throws for a failing target.
public struct ProbeResult: Sendable, Hashable, Codable {
    /// The target that was probed.
    public var target: TargetID
    /// The kind of probe that produced this result.
    public var kind: ProbeKind
    /// The family the probe used, when it connected to an address.
    public var ipFamily: IPFamily?
    /// When the probe was meant to start (the scheduler's slot), if it was scheduled.
    public var scheduledAt: Timestamp?
    /// When the probe started.
    public var startedAt: Timestamp
    /// Whether the target passed every check.
    public var success: Bool
    /// Why the probe failed; `nil` exactly when `success` is true.
    public var failure: FailureReason?
    /// A human-readable account of the failure (an error string, the mismatching value). Unbounded
    /// text: never use it as a metric label.
    public var failureDetail: String?
    /// The DNS rcode or HTTP status code, when the target answered at all.
    public var code: Int?
    /// Wall time from the start of the probe to its verdict, measured on a monotonic clock.
    public var duration: Duration
    /// The time of each phase the prober measured.
    public var phases: PhaseTimings
    /// The address the probe talked to (an IP literal), when it got that far.
    public var remoteAddress: String?
    /// Each expectation the probe checked and whether it held, in the order checked.
    public var checks: [ExpectationCheck]
    /// What the protocol reported beyond the common fields.
    public var detail: ProbeDetail?

    /// Creates a result. A result with a failure reason is a failed result.
    public init(
        target: TargetID,
        kind: ProbeKind,
        ipFamily: IPFamily? = nil,
        scheduledAt: Timestamp? = nil,
        startedAt: Timestamp,
        failure: FailureReason? = nil,
        failureDetail: String? = nil,
        code: Int? = nil,
        duration: Duration,
        phases: PhaseTimings = PhaseTimings(),
        remoteAddress: String? = nil,
        checks: [ExpectationCheck] = [],
        detail: ProbeDetail? = nil
    ) {
        self.target = target
        self.kind = kind
        self.ipFamily = ipFamily
        self.scheduledAt = scheduledAt
        self.startedAt = startedAt
        self.success = failure == nil
        self.failure = failure
        self.failureDetail = failureDetail
        self.code = code
        self.duration = duration
        self.phases = phases
        self.remoteAddress = remoteAddress
        self.checks = checks
        self.detail = detail
    }
}

/// One expectation a probe checked, e.g. `status in 200-299` or `answer contains 192.0.2.1`.
public struct ExpectationCheck: Sendable, Hashable, Codable {
    /// What was expected, in the words of the configuration.
    public var expectation: String
    /// Whether it held.
    public var passed: Bool
    /// What was observed, shortened for display.
    public var observed: String?

    /// Creates a check.
    public init(expectation: String, passed: Bool, observed: String? = nil) {
        self.expectation = expectation
        self.passed = passed
        self.observed = observed
    }
}

/// Protocol-specific facts about a probe, beyond what every result carries.
public enum ProbeDetail: Sendable, Hashable, Codable {
    case dns(DNSProbeDetail)
    case http(HTTPProbeDetail)
    case icmp(ICMPProbeDetail)
}

/// What a DNS probe saw.
public struct DNSProbeDetail: Sendable, Hashable, Codable {
    /// The response code (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED, …), including EDNS bits.
    public var rcode: Int
    public var answerCount: Int
    public var authorityCount: Int
    public var additionalCount: Int
    /// The answer records in presentation format, e.g. `www.example. 300 IN A 192.0.2.1`.
    public var answers: [String]
    /// Whether the final answer came over TCP (after a truncated UDP answer, or by configuration).
    public var overTCP: Bool
    /// Whether a UDP answer was truncated and the question retried over TCP.
    public var retriedOverTCP: Bool
    /// The SOA serial, when the answer or authority section carried an SOA record.
    public var soaSerial: UInt32?

    public init(
        rcode: Int, answerCount: Int, authorityCount: Int, additionalCount: Int, answers: [String],
        overTCP: Bool, retriedOverTCP: Bool, soaSerial: UInt32? = nil
    ) {
        self.rcode = rcode
        self.answerCount = answerCount
        self.authorityCount = authorityCount
        self.additionalCount = additionalCount
        self.answers = answers
        self.overTCP = overTCP
        self.retriedOverTCP = retriedOverTCP
        self.soaSerial = soaSerial
    }
}

/// What an HTTP probe saw.
public struct HTTPProbeDetail: Sendable, Hashable, Codable {
    /// The final status code, or `nil` when no response arrived.
    public var statusCode: Int?
    /// The HTTP version of the final response, e.g. `1.1` or `2`.
    public var httpVersion: String?
    /// The negotiated TLS version, e.g. `TLSv1.3`, for HTTPS.
    public var tlsVersion: String?
    /// When the earliest-expiring certificate of the peer's chain expires, for HTTPS.
    public var certificateExpiry: Timestamp?
    /// How many redirects were followed.
    public var redirects: Int
    /// The URL the probe ended on, after redirects.
    public var effectiveURL: String?
    /// Bytes of body received (after decompression, if any).
    public var bodyBytes: Int

    public init(
        statusCode: Int? = nil, httpVersion: String? = nil, tlsVersion: String? = nil,
        certificateExpiry: Timestamp? = nil, redirects: Int = 0, effectiveURL: String? = nil,
        bodyBytes: Int = 0
    ) {
        self.statusCode = statusCode
        self.httpVersion = httpVersion
        self.tlsVersion = tlsVersion
        self.certificateExpiry = certificateExpiry
        self.redirects = redirects
        self.effectiveURL = effectiveURL
        self.bodyBytes = bodyBytes
    }
}

/// What an ICMP probe saw over its echoes.
public struct ICMPProbeDetail: Sendable, Hashable, Codable {
    public var sent: Int
    public var received: Int
    public var minimumRTT: Duration?
    public var maximumRTT: Duration?
    /// The hop limit (TTL) of the last reply, when the socket reported it.
    public var replyHopLimit: Int?

    /// The fraction of echoes lost, from 0 to 1.
    public var loss: Double { sent == 0 ? 0 : Double(sent - received) / Double(sent) }

    public init(sent: Int, received: Int, minimumRTT: Duration? = nil, maximumRTT: Duration? = nil,
                replyHopLimit: Int? = nil) {
        self.sent = sent
        self.received = received
        self.minimumRTT = minimumRTT
        self.maximumRTT = maximumRTT
        self.replyHopLimit = replyHopLimit
    }
}
