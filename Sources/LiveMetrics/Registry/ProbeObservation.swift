import WatchCore

/// What the exposition shows of a series' latest result: the figures of a `ProbeResult`, without
/// the unbounded parts (failure text, DNS answers, checks) that no metric uses and that would be
/// kept alive for every series otherwise.
struct ProbeObservation: Sendable {
    var kind: ProbeKind
    var failure: FailureReason?
    var startedAt: Timestamp
    var duration: Duration
    var phases: PhaseTimings
    var ipFamily: IPFamily?
    var code: Int?
    var dns: DNSFigures?
    var http: HTTPFigures?
    var icmp: ICMPFigures?

    var success: Bool { failure == nil }

    /// A DNS reply's header figures; absent when no reply arrived.
    struct DNSFigures: Sendable {
        var rcode: Int
        var answerCount: Int
        var authorityCount: Int
        var additionalCount: Int
        var soaSerial: UInt32?
    }

    struct HTTPFigures: Sendable {
        var statusCode: Int?
        /// As the prober reported it (`1.1`, `2`); parsed when rendered, which is rarer than recording.
        var httpVersion: String?
        var tlsVersion: String?
        var certificateExpiry: Timestamp?
        var redirects: Int
        var bodyBytes: Int
    }

    struct ICMPFigures: Sendable {
        var sent: Int
        var received: Int
        var replyHopLimit: Int?
    }

    init(_ result: ProbeResult) {
        kind = result.kind
        failure = result.failure
        startedAt = result.startedAt
        duration = result.duration
        phases = result.phases
        ipFamily = result.ipFamily
        code = result.code
        switch result.detail {
        case .dns(let detail):
            dns = DNSFigures(rcode: detail.rcode, answerCount: detail.answerCount,
                             authorityCount: detail.authorityCount, additionalCount: detail.additionalCount,
                             soaSerial: detail.soaSerial)
        case .http(let detail):
            http = HTTPFigures(statusCode: detail.statusCode, httpVersion: detail.httpVersion,
                               tlsVersion: detail.tlsVersion, certificateExpiry: detail.certificateExpiry,
                               redirects: detail.redirects, bodyBytes: detail.bodyBytes)
        case .icmp(let detail):
            icmp = ICMPFigures(sent: detail.sent, received: detail.received, replyHopLimit: detail.replyHopLimit)
        case nil:
            break
        }
    }
}
