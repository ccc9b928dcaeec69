import WatchCore

/// Renders one probe result for a person: the verdict, then each phase as a bar placed where it
/// happened in time, like a browser's network waterfall.
struct ProbeWaterfall {
    var width = 40

    func render(_ result: ProbeResult, address: String) -> String {
        var lines: [String] = []
        let verdict = result.success ? "UP" : "DOWN"
        var headline = "\(address)  \(verdict)"
        if let code = result.code { headline += "  \(codeLabel(result, code))" }
        if let remote = result.remoteAddress {
            headline += "  \(remote)" + (result.ipFamily.map { " (\($0.rawValue))" } ?? "")
        }
        headline += "  \(format(result.duration))"
        lines.append(headline)
        if let failure = result.failure {
            lines.append("  reason: \(failure.rawValue)" + (result.failureDetail.map { ": \($0)" } ?? ""))
        }
        lines.append(contentsOf: phaseBars(result))
        lines.append(contentsOf: detailLines(result))
        for check in result.checks {
            let mark = check.passed ? "ok  " : "FAIL"
            lines.append("  \(mark) \(check.expectation)" + (check.observed.map { "  (saw \($0))" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    private func codeLabel(_ result: ProbeResult, _ code: Int) -> String {
        switch result.kind {
        case .dns: DNSRcode(rawValue: code).description
        default: "\(code)"
        }
    }

    /// Sequential phases are laid end to end; an ICMP round trip or DNS request stands alone.
    private func phaseBars(_ result: ProbeResult) -> [String] {
        let phases = result.phases.measured
        guard !phases.isEmpty else { return [] }
        let total = max(result.duration.seconds, phases.reduce(0) { $0 + $1.duration.seconds }, 1e-9)
        var offset = 0.0
        return phases.map { phase, duration in
            let start = Int((offset / total * Double(width)).rounded(.down))
            let length = max(1, Int((duration.seconds / total * Double(width)).rounded()))
            offset += duration.seconds
            let bar = String(repeating: " ", count: min(start, width - 1))
                + String(repeating: "█", count: min(length, width - min(start, width - 1)))
            let name = phase.rawValue.padding(to: 11)
            return "  \(name) \(format(duration).leftPadding(to: 10))  |\(bar.padding(to: width))|"
        }
    }

    private func detailLines(_ result: ProbeResult) -> [String] {
        switch result.detail {
        case .http(let http):
            var line = "  http"
            if let version = http.httpVersion { line += " \(version)" }
            if let tls = http.tlsVersion { line += ", \(tls)" }
            if http.redirects > 0 { line += ", \(http.redirects) redirect(s) to \(http.effectiveURL ?? "?")" }
            line += ", \(http.bodyBytes) body bytes"
            var lines = [line]
            if let expiry = http.certificateExpiry {
                let days = WallClock.now().duration(to: expiry).seconds / 86_400
                lines.append("  certificate expires \(expiry) (in \(Int(days.rounded(.down))) days)")
            }
            return lines
        case .dns(let dns):
            var lines = ["  answers \(dns.answerCount), authority \(dns.authorityCount), additional \(dns.additionalCount)"
                + (dns.retriedOverTCP ? ", truncated over UDP, retried over TCP" : dns.overTCP ? ", over TCP" : "")]
            lines += dns.answers.prefix(20).map { "    \($0)" }
            if dns.answers.count > 20 { lines.append("    … \(dns.answers.count - 20) more") }
            return lines
        case .icmp(let icmp):
            var line = "  echoes \(icmp.received)/\(icmp.sent) answered"
            if let low = icmp.minimumRTT, let high = icmp.maximumRTT {
                line += ", rtt min \(format(low)) max \(format(high))"
            }
            return [line]
        case nil:
            return []
        }
    }
}

/// Milliseconds with a precision that suits the magnitude: `0.042 ms`, `3.21 ms`, `1250 ms`.
func format(_ duration: Duration) -> String {
    let millis = duration.milliseconds
    if millis < 1 { return "\(rounded(millis, places: 3)) ms" }
    if millis < 100 { return "\(rounded(millis, places: 2)) ms" }
    return "\(Int(millis.rounded())) ms"
}

func rounded(_ value: Double, places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale)
    let fraction = String(abs(scaled) % Int(scale))
    return "\(value < 0 && whole == 0 ? "-" : "")\(whole)." + String(repeating: "0", count: places - fraction.count) + fraction
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    func leftPadding(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
