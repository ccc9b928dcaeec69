import LiveMetrics
import Testing
import WatchCore

/// The exposition as Prometheus' own tooling judges it.
@Suite struct ExpositionLintTests {
    @Test func promtoolFindsNoProblemInAnExpositionOfEveryKind() throws {
        let metrics = ProbeResults.registryOfEveryKind()
        // A second round with failures, so that the failure families have samples too.
        metrics.record(ProbeResults.dnsTimeout(), series: ProbeResults.key("viettel-dns-hn-1"),
                       labels: ProbeResults.labels("viettel-dns-hn-1", service: "dns", kind: .dns))
        metrics.record(ProbeResults.tcpConnect(refused: true), series: ProbeResults.key("fpt-smtp"),
                       labels: ProbeResults.labels("fpt-smtp", provider: "fpt", service: "mail", kind: .tcp))
        let exposition = metrics.render()

        let problems = try Promtool.problems(in: exposition)
        #expect(problems.isEmpty, "promtool check metrics:\n\(problems)")

        // promtool must be able to fail: a copy with a counter lacking `_total` is rejected.
        let broken = exposition + Array("# HELP broken_counter x\n# TYPE broken_counter counter\nbroken_counter 1\n".utf8)
        #expect(try !Promtool.problems(in: broken).isEmpty)
    }

    @Test func promtoolAcceptsEscapedLabelValues() throws {
        let metrics = ProbeMetrics()
        metrics.record(ProbeResults.tcpConnect(), series: ProbeResults.key("odd"),
                       labels: ProbeResults.labels("odd", provider: "a \"quoted\" \\ provider\nsecond line", kind: .tcp))
        let problems = try Promtool.problems(in: metrics.render())
        #expect(problems.isEmpty, "promtool check metrics:\n\(problems)")
    }
}
