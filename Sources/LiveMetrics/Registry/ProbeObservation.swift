import WatchCore

/// What the exposition shows of a series' latest result: the figures of a `ProbeResult`, without
/// the unbounded parts (failure text, DNS answers, checks) that no metric uses and that would be
/// kept alive for every series otherwise.
struct ProbeObservation: Sendable {
    var kind: ProbeKind
    var failure: FailureReason?
    var startedAt: Timestamp
    var duration: Duration
    var phases: CompactPhases
    var ipFamily: IPFamily?
    var code: Int?
    /// The one kind-specific part (a result has at most one).
    var figures: Figures = .none

    enum Figures: Sendable {
        case none
        case dns(DNSFigures)
        case http(HTTPFigures)
        case icmp(ICMPFigures)
    }

    var dns: DNSFigures? { if case .dns(let figures) = figures { figures } else { nil } }
    var http: HTTPFigures? { if case .http(let figures) = figures { figures } else { nil } }
    var icmp: ICMPFigures? { if case .icmp(let figures) = figures { figures } else { nil } }

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
        phases = CompactPhases(result.phases)
        ipFamily = result.ipFamily
        code = result.code
        switch result.detail {
        case .dns(let detail):
            figures = .dns(DNSFigures(rcode: detail.rcode, answerCount: detail.answerCount,
                             authorityCount: detail.authorityCount, additionalCount: detail.additionalCount,
                             soaSerial: detail.soaSerial))
        case .http(let detail):
            figures = .http(HTTPFigures(statusCode: detail.statusCode, httpVersion: detail.httpVersion,
                               tlsVersion: detail.tlsVersion, certificateExpiry: detail.certificateExpiry,
                               redirects: detail.redirects, bodyBytes: detail.bodyBytes))
        case .icmp(let detail):
            figures = .icmp(ICMPFigures(sent: detail.sent, received: detail.received, replyHopLimit: detail.replyHopLimit))
        case nil:
            break
        }
    }
}

/// Phase timings in 8 bytes each instead of `PhaseTimings`' optional `Duration`s (17 bytes each, padded
/// to 24): the registry keeps one per series, and `/metrics` shows them in seconds anyway.
struct CompactPhases: Sendable {
    /// Nanoseconds per phase in `Phase.allCases` order; -1 when not measured.
    private var nanoseconds: (Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (-1, -1, -1, -1, -1, -1, -1)

    init(_ timings: PhaseTimings) {
        withUnsafeMutableBytes(of: &nanoseconds) { raw in
            let slots = raw.bindMemory(to: Int64.self)
            for (index, phase) in Phase.allCases.enumerated() {
                slots[index] = timings[phase].map { max(0, $0.nanoseconds) } ?? -1
            }
        }
    }

    subscript(phase: Phase) -> Duration? {
        let index = Phase.allCases.firstIndex(of: phase)!
        let value = withUnsafeBytes(of: nanoseconds) { $0.load(fromByteOffset: index * 8, as: Int64.self) }
        return value < 0 ? nil : .nanoseconds(value)
    }

    var resolve: Duration? { self[.resolve] }
}
