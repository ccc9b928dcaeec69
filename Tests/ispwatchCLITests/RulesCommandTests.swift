import Foundation
import Testing

/// `ispwatch rules`: Prometheus accepts the rules (`promtool check rules`), and Prometheus' own rule
/// unit tests (`promtool test rules`) show them paging as ispwatch does on series shaped like the
/// ones ispwatch exposes: a quorum outage pages after `for:` and resolves after `keep_firing_for:`,
/// one vantage alone does not page, an unhealthy vantage's failures count for nothing, and the
/// burn-rate alerts fire on an outage and stay silent on a healthy history.
@Suite(.serialized) struct RulesCommandTests {
    static let promtool = "/usr/bin/promtool"

    static let configuration = """
        vantage: {id: a}
        providers: [{id: lab}, {id: quiet}]
        targets:
          - {id: portal, provider: lab, service: web, http: {url: "http://127.0.0.1:1/"}}
          - {id: resolver, provider: lab, service: dns, dns: {server: 127.0.0.1, query_name: www.isp.test}}
          - {id: quiet-portal, provider: quiet, service: web, http: {url: "http://127.0.0.1:1/"}}
        objectives:
          - {id: lab-web, provider: lab, service: web, availability: 99.5%, period: month}
        alerting:
          rules: {slice: 1m, down_slices: 3, up_slices: 5, quorum: 2}
          receivers: [{name: am, alertmanager: {url: "http://127.0.0.1:9093"}}]
        """

    /// Generates the rules into `rules.yml` of `directory`.
    static func generate(in directory: TemporaryDirectory) throws {
        try directory.write("ispwatch.yaml", configuration)
        let run = try ISPWatchBinary.run(["rules", "--config", "ispwatch.yaml", "--out", "rules.yml"], in: directory)
        #expect(run.status == 0, "\(run.standardError)")
    }

    @Test func promtoolAcceptsTheGeneratedRules() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.generate(in: directory)
        let check = try ChildCommand.run(Self.promtool, ["check", "rules", directory.file("rules.yml")])
        let rules = try directory.read("rules.yml")
        #expect(check.status == 0, "\(check.output)\n\(rules)")
        // 4 slice rules; 7 windows of the one objective (1h/5m, 6h/30m, 1d/2h, 3d/6h share 6h); TargetDown,
        // 4 SLOBurnRate, ProviderOutage, VantageUnhealthy.
        #expect(check.output.contains("SUCCESS: 18 rules found"), "\(check.output)")
    }

    @Test func theRulesPageOnAQuorumOutageAndOnABurningBudgetOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.generate(in: directory)
        try directory.write("rules-test.yml", Self.unitTests)
        let test = try ChildCommand.run(Self.promtool, ["test", "rules", directory.file("rules-test.yml")])
        let rules = try directory.read("rules.yml")
        #expect(test.status == 0, "\(test.output)\n\(rules)")
        #expect(test.output.contains("SUCCESS"), "\(test.output)")
    }

    @Test func theSettingsOfTheAlertingSectionReachTheRules() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.generate(in: directory)
        let rules = try directory.read("rules.yml")
        #expect(rules.contains("for: 3m"))
        #expect(rules.contains("keep_firing_for: 5m"))
        #expect(rules.contains("count by (provider, service, target, family) (ispwatch:series_slice_down), 2)"))
        // 2 % of a 30-day budget in 1 h: 14.4 × the budget ratio.
        #expect(rules.contains("> 14.4"))
    }

    @Test func withoutAConfigurationFileTheCommandIsAUsageError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try ISPWatchBinary.run(["rules"], in: directory)
        #expect(run.status == 2)
        #expect(run.standardError.contains("--config"))
    }

    // MARK: - The promtool unit tests

    /// `probe_success` of one series, as ispwatch exposes it (15 s samples).
    private static func series(_ target: String, service: String, vantage: String, provider: String = "lab",
                               _ values: String) -> String {
        let kind = service == "dns" ? "dns" : "http"
        return """
                  - series: 'probe_success{target="\(target)",provider="\(provider)",service="\(service)",kind="\(kind)",ip_family="v4",vantage="\(vantage)"}'
                    values: '\(values)'
            """
    }

    private static func healthy(_ vantage: String, _ values: String = "1x800") -> String {
        """
              - series: 'ispwatch_vantage_healthy{vantage="\(vantage)"}'
                values: '\(values)'
        """
    }

    /// Up for 10 min, failing for 20 min (from 10:00 to 29:45), then up: 15 s samples.
    private static let outage = "1x39 0x79 1x120"
    private static let up = "1x240"

    private static let portalDown = """
                    - exp_labels: {alertname: TargetDown, severity: critical, provider: lab, service: web, target: portal, family: v4}
                      exp_annotations:
                        summary: "portal (v4) of lab web is DOWN"
                        description: "3 consecutive DOWN slices of 1m"
        """

    private static func burnRate(window: String, severity: String, threshold: String, long: String, short: String, share: Int)
        -> String
    {
        """
                    - exp_labels: {alertname: SLOBurnRate, severity: \(severity), provider: lab, service: web, objective: lab-web, window: \(window)}
                      exp_annotations:
                        summary: "lab-web: error budget burning above \(threshold)× over \(long) and \(short)"
                        description: "\(share) % of the budget within \(long) at this pace"
        """
    }

    static var unitTests: String {
        """
        rule_files: [rules.yml]
        evaluation_interval: 1m
        tests:
          # a and b see the portal fail, c does not: 2 of 3 is the quorum. Only a sees the resolver fail.
          - interval: 15s
            input_series:
        \(series("portal", service: "web", vantage: "a", outage))
        \(series("portal", service: "web", vantage: "b", outage))
        \(series("portal", service: "web", vantage: "c", up))
        \(series("resolver", service: "dns", vantage: "a", outage))
        \(series("resolver", service: "dns", vantage: "b", up))
        \(series("resolver", service: "dns", vantage: "c", up))
        \(healthy("a"))
        \(healthy("b"))
        \(healthy("c"))
            alert_rule_test:
              - {eval_time: 5m, alertname: SLOBurnRate, exp_alerts: []}
              # The first full DOWN slice ends at 11m; 3 slices of for: take it past 13m.
              - {eval_time: 13m, alertname: TargetDown, exp_alerts: []}
              - eval_time: 16m
                alertname: TargetDown
                exp_alerts:
        \(portalDown)
              - eval_time: 16m
                alertname: ProviderOutage
                exp_alerts:
                  - exp_labels: {alertname: ProviderOutage, severity: critical, provider: lab}
                    exp_annotations:
                      summary: "lab: 1 targets DOWN"
                      description: "provider-wide outage; the per-target pages of lab are withheld while it lasts (an Alertmanager inhibit rule, docs/OPERATIONS.md)"
              - eval_time: 25m
                alertname: SLOBurnRate
                exp_alerts:
        \(burnRate(window: "3600s", severity: "critical", threshold: "14.4", long: "1h", short: "5m", share: 2))
        \(burnRate(window: "21600s", severity: "critical", threshold: "6", long: "6h", short: "30m", share: 5))
        \(burnRate(window: "86400s", severity: "warning", threshold: "3", long: "1d", short: "2h", share: 10))
        \(burnRate(window: "259200s", severity: "warning", threshold: "1", long: "3d", short: "6h", share: 10))
              # Up again from 30m: M = 5 slices of keep_firing_for hold the page until about 36m.
              - eval_time: 34m
                alertname: TargetDown
                exp_alerts:
        \(portalDown)
              - {eval_time: 40m, alertname: TargetDown, exp_alerts: []}

          # A healthy history pages nothing.
          - interval: 15s
            input_series:
        \(series("portal", service: "web", vantage: "a", "1x720"))
        \(series("portal", service: "web", vantage: "b", "1x720"))
        \(healthy("a"))
        \(healthy("b"))
            alert_rule_test:
              - {eval_time: 1h, alertname: SLOBurnRate, exp_alerts: []}
              - {eval_time: 3h, alertname: SLOBurnRate, exp_alerts: []}
              - {eval_time: 3h, alertname: TargetDown, exp_alerts: []}

          # Vantage a's own network breaks: its failures are UNKNOWN, so b alone (of b and c) is no
          # quorum; the platform is paged instead.
          - interval: 15s
            input_series:
        \(series("portal", service: "web", vantage: "a", outage))
        \(series("portal", service: "web", vantage: "b", outage))
        \(series("portal", service: "web", vantage: "c", up))
        \(healthy("a", outage))
        \(healthy("b"))
        \(healthy("c"))
            alert_rule_test:
              - {eval_time: 20m, alertname: TargetDown, exp_alerts: []}
              - eval_time: 20m
                alertname: VantageUnhealthy
                exp_alerts:
                  - exp_labels: {alertname: VantageUnhealthy, severity: critical, team: platform, vantage: a}
                    exp_annotations:
                      summary: "vantage a is unhealthy: its control probes fail"
                      description: "the prober's own network is broken; its results are UNKNOWN and page no provider"
        """
    }
}
