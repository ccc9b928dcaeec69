import LiveMetrics
import Synchronization
import WatchCore

/// Results of every kind, shaped like the probers' own, for the exposition tests.
enum ProbeResults {
    static let start = Timestamp(nanosecondsSinceEpoch: 1_799_913_600 * 1_000_000_000)

    /// The series number of `target` over `family`: one number per series, the same on every call,
    /// as the daemon passes its store ids.
    static func key(_ target: String, family: IPFamily = .v4) -> UInt32 {
        let key = SeriesKey(target: TargetID(target), vantage: "hanoi-vnpt-1", family: family)
        return numbers.withLock { numbers in
            if let number = numbers[key] { return number }
            let number = UInt32(numbers.count)
            numbers[key] = number
            return number
        }
    }

    private static let numbers = Mutex<[SeriesKey: UInt32]>([:])

    static func labels(_ target: String, provider: String = "viettel", service: String = "portal", kind: ProbeKind,
                       family: IPFamily = .v4) -> SeriesLabels
    {
        SeriesLabels(target: target, provider: provider, service: service, kind: kind, ipFamily: family,
                     vantage: "hanoi-vnpt-1")
    }

    static func dnsAnswer(rcode: Int = 0, answers: Int = 1, duration: Duration = .milliseconds(3)) -> ProbeResult {
        var phases = PhaseTimings()
        phases.connect = .microseconds(40)
        phases.request = .microseconds(2_900)
        let failure: FailureReason? = switch rcode {
        case 0: nil
        case 2: .dnsServfail
        case 3: .dnsNXDomain
        default: .dnsRcode
        }
        return ProbeResult(
            target: "viettel-dns-hn-1", kind: .dns, ipFamily: .v4, startedAt: start, failure: failure, code: rcode,
            duration: duration, phases: phases, remoteAddress: "127.0.0.1",
            detail: .dns(DNSProbeDetail(rcode: rcode, answerCount: answers, authorityCount: 0, additionalCount: 1,
                                        answers: ["www.isp.test. 300 IN A 192.0.2.1"], overTCP: false,
                                        retriedOverTCP: false, soaSerial: 2_026_112_401)))
    }

    static func dnsTimeout() -> ProbeResult {
        var phases = PhaseTimings()
        phases.connect = .microseconds(40)
        return ProbeResult(target: "viettel-dns-hn-1", kind: .dns, ipFamily: .v4, startedAt: start,
                           failure: .dnsTimeout, duration: .seconds(2), phases: phases)
    }

    static let certificateExpiry = Timestamp(nanosecondsSinceEpoch: 1_798_149_251 * 1_000_000_000)

    static func httpsSuccess(duration: Duration = .milliseconds(42)) -> ProbeResult {
        var phases = PhaseTimings()
        phases.resolve = .microseconds(12)
        phases.connect = .microseconds(468)
        phases.tls = .microseconds(1_897)
        phases.processing = .microseconds(251)
        phases.transfer = .microseconds(284)
        return ProbeResult(
            target: "viettel-portal", kind: .http, ipFamily: .v4, startedAt: start, code: 200, duration: duration,
            phases: phases, remoteAddress: "127.0.0.1",
            detail: .http(HTTPProbeDetail(statusCode: 200, httpVersion: "1.1", tlsVersion: "TLSv1.3",
                                          certificateExpiry: certificateExpiry, redirects: 1, bodyBytes: 26)))
    }

    static func httpServiceUnavailable() -> ProbeResult {
        var phases = PhaseTimings()
        phases.connect = .microseconds(300)
        phases.processing = .microseconds(200)
        return ProbeResult(
            target: "vnpt-portal", kind: .http, ipFamily: .v6, startedAt: start.advanced(by: .seconds(1)),
            failure: .httpStatus, failureDetail: "status 503 not in 200-299", code: 503,
            duration: .milliseconds(7), phases: phases, remoteAddress: "::1",
            detail: .http(HTTPProbeDetail(statusCode: 503, httpVersion: "2", bodyBytes: 120)))
    }

    static func tcpConnect(refused: Bool = false) -> ProbeResult {
        var phases = PhaseTimings()
        phases.connect = .microseconds(95)
        return ProbeResult(target: "fpt-smtp", kind: .tcp, ipFamily: .v4, startedAt: start,
                           failure: refused ? .tcpRefused : nil, duration: .microseconds(120), phases: phases,
                           remoteAddress: "127.0.0.1")
    }

    static func icmpEcho(received: Int = 3) -> ProbeResult {
        var phases = PhaseTimings()
        phases.rtt = .microseconds(61)
        return ProbeResult(
            target: "mobifone-gw", kind: .icmp, ipFamily: .v4, startedAt: start,
            failure: received == 0 ? .icmpTimeout : (received < 3 ? .icmpLoss : nil),
            duration: .milliseconds(2), phases: phases, remoteAddress: "127.0.0.1",
            detail: .icmp(ICMPProbeDetail(sent: 3, received: received, minimumRTT: .microseconds(50),
                                          maximumRTT: .microseconds(80), replyHopLimit: 64)))
    }

    /// A registry holding one series of each kind (two HTTP: one up over TLS, one answering 503),
    /// with runtime figures set.
    static func registryOfEveryKind() -> ProbeMetrics {
        let metrics = ProbeMetrics()
        metrics.record(dnsAnswer(), series: key("viettel-dns-hn-1"),
                       labels: labels("viettel-dns-hn-1", service: "dns", kind: .dns))
        metrics.record(httpsSuccess(), series: key("viettel-portal"), labels: labels("viettel-portal", kind: .http))
        metrics.record(httpServiceUnavailable(), series: key("vnpt-portal", family: .v6),
                       labels: labels("vnpt-portal", provider: "vnpt", kind: .http, family: .v6))
        metrics.record(tcpConnect(), series: key("fpt-smtp"),
                       labels: labels("fpt-smtp", provider: "fpt", service: "mail", kind: .tcp))
        metrics.record(icmpEcho(received: 2), series: key("mobifone-gw"),
                       labels: labels("mobifone-gw", provider: "mobifone", service: "gateway", kind: .icmp))
        metrics.update(runtimeSnapshot())
        return metrics
    }

    static func runtimeSnapshot() -> RuntimeSnapshot {
        var scheduler = SchedulerStatisticsFixture.make()
        scheduler.missedPreviousStillRunning = 1
        return RuntimeSnapshot(
            version: "0.1.0", processStartTime: start, scheduler: scheduler, probesInFlight: 5,
            probesInFlightByProvider: ["viettel": 3, "vnpt": 2], probesWaiting: 7, seriesScheduled: 5,
            storeBytesOnDisk: 1_048_576, storeResultsWritten: 40, storeFlushErrors: 1, storeResultsLost: 0,
            storeHealthy: true, vantage: "hanoi-vnpt-1", vantageHealthy: false, vantageControlsConfigured: 2,
            vantageControlsFailing: 2, configReloads: 3, configReloadFailures: 1, lastReloadSucceeded: false,
            lastSuccessfulReload: start.advanced(by: .seconds(30)))
    }
}
