import WatchCore

/// The JSON form of a probe result: durations in seconds, times in RFC 3339, as blackbox and
/// Prometheus users expect. The field names are part of the CLI's interface; keep them stable.
struct ProbeResultJSON: Encodable {
    var target: String
    var kind: String
    var success: Bool
    var failure: String?
    var failureDetail: String?
    var code: Int?
    var ipFamily: String?
    var remoteAddress: String?
    var scheduledAt: String?
    var startedAt: String
    var durationSeconds: Double
    var phases: [String: Double]
    var checks: [Check]
    var dns: DNSProbeDetail?
    var http: HTTP?
    var icmp: ICMP?

    struct Check: Encodable {
        var expectation: String
        var passed: Bool
        var observed: String?
    }

    struct HTTP: Encodable {
        var statusCode: Int?
        var httpVersion: String?
        var tlsVersion: String?
        var certificateExpiry: String?
        var redirects: Int
        var effectiveURL: String?
        var bodyBytes: Int
    }

    struct ICMP: Encodable {
        var sent: Int
        var received: Int
        var loss: Double
        var minimumRTTSeconds: Double?
        var maximumRTTSeconds: Double?
    }

    init(_ result: ProbeResult) {
        target = result.target.rawValue
        kind = result.kind.rawValue
        success = result.success
        failure = result.failure?.rawValue
        failureDetail = result.failureDetail
        code = result.code
        ipFamily = result.ipFamily?.rawValue
        remoteAddress = result.remoteAddress
        scheduledAt = result.scheduledAt?.description
        startedAt = result.startedAt.description
        durationSeconds = result.duration.seconds
        phases = Dictionary(uniqueKeysWithValues: result.phases.measured.map { ($0.phase.rawValue, $0.duration.seconds) })
        checks = result.checks.map { Check(expectation: $0.expectation, passed: $0.passed, observed: $0.observed) }
        switch result.detail {
        case .dns(let detail): dns = detail
        case .http(let detail):
            http = HTTP(
                statusCode: detail.statusCode, httpVersion: detail.httpVersion, tlsVersion: detail.tlsVersion,
                certificateExpiry: detail.certificateExpiry?.description, redirects: detail.redirects,
                effectiveURL: detail.effectiveURL, bodyBytes: detail.bodyBytes)
        case .icmp(let detail):
            icmp = ICMP(
                sent: detail.sent, received: detail.received, loss: detail.loss,
                minimumRTTSeconds: detail.minimumRTT?.seconds, maximumRTTSeconds: detail.maximumRTT?.seconds)
        case nil: break
        }
    }
}
