import LiveMetrics
import WatchCore

/// `count` series with realistic ids and labels, and one result each, built before measuring.
struct SeriesFixture: Sendable {
    /// The series' numbers, as the daemon passes its store ids.
    let numbers: [UInt32]
    let labels: [SeriesLabels]
    let results: [ProbeResult]

    init(count: Int) {
        let start = Timestamp(nanosecondsSinceEpoch: 1_799_913_600 * 1_000_000_000)
        var labels: [SeriesLabels] = []
        var results: [ProbeResult] = []
        for index in 0..<count {
            let kind = ProbeKind.allCases[index % ProbeKind.allCases.count]
            let provider = "provider-\(index % 20)"
            let target = "\(provider)-\(kind.rawValue)-\(index)"
            let family: IPFamily = index % 3 == 0 ? .v6 : .v4
            labels.append(SeriesLabels(target: target, provider: provider, service: kind == .dns ? "dns" : "portal",
                                       kind: kind, ipFamily: family, vantage: "hanoi-vnpt-1"))
            results.append(Self.result(kind, target: target, family: family, failing: index % 20 == 7, start: start))
        }
        self.numbers = (0..<UInt32(count)).map { $0 }
        self.labels = labels
        self.results = results
    }

    func recordOnce(into metrics: ProbeMetrics) {
        for index in numbers.indices { metrics.record(results[index], series: numbers[index], labels: labels[index]) }
    }

    private static func result(_ kind: ProbeKind, target: String, family: IPFamily, failing: Bool, start: Timestamp)
        -> ProbeResult
    {
        var phases = PhaseTimings()
        phases.connect = .microseconds(310)
        switch kind {
        case .dns:
            phases.request = .microseconds(2_400)
            return ProbeResult(
                target: TargetID(target), kind: .dns, ipFamily: family, startedAt: start,
                failure: failing ? .dnsServfail : nil, code: failing ? 2 : 0, duration: .microseconds(2_900),
                phases: phases,
                detail: .dns(DNSProbeDetail(rcode: failing ? 2 : 0, answerCount: failing ? 0 : 2, authorityCount: 0,
                                            additionalCount: 1, answers: [], overTCP: false, retriedOverTCP: false)))
        case .http:
            phases.resolve = .microseconds(15)
            phases.tls = .microseconds(1_900)
            phases.processing = .microseconds(4_100)
            phases.transfer = .microseconds(300)
            return ProbeResult(
                target: TargetID(target), kind: .http, ipFamily: family, startedAt: start,
                failure: failing ? .httpStatus : nil, code: failing ? 503 : 200, duration: .microseconds(6_700),
                phases: phases,
                detail: .http(HTTPProbeDetail(statusCode: failing ? 503 : 200, httpVersion: "1.1", tlsVersion: "TLSv1.3",
                                              certificateExpiry: start.advanced(by: .seconds(86_400 * 60)),
                                              bodyBytes: 5_120)))
        case .tcp:
            return ProbeResult(target: TargetID(target), kind: .tcp, ipFamily: family, startedAt: start,
                               failure: failing ? .tcpRefused : nil, duration: .microseconds(350), phases: phases)
        case .icmp:
            phases.connect = nil
            phases.rtt = .microseconds(820)
            return ProbeResult(
                target: TargetID(target), kind: .icmp, ipFamily: family, startedAt: start,
                failure: failing ? .icmpTimeout : nil, duration: .milliseconds(3), phases: phases,
                detail: .icmp(ICMPProbeDetail(sent: 3, received: failing ? 0 : 3, replyHopLimit: failing ? nil : 60)))
        }
    }
}
