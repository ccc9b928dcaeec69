import Alerting
import Testing
import WatchCore

@Suite struct DegradationRuleTests {
    let target = dnsTarget("vnpt-dns-hn-1")

    /// Six probes in the next slice from one vantage, with these latencies (ms; `nil` a failure).
    private func slice(_ harness: inout EngineHarness, latencies: [Int?], vantage: String = "hanoi-1") {
        let start = harness.sliceStart(harness.slice)
        for (index, latency) in latencies.enumerated() {
            let result = ProbeResult(
                target: target.id, kind: .tcp, ipFamily: .v4, startedAt: start.advanced(by: .seconds(Int64(index) * 10 + 1)),
                failure: latency == nil ? .tcpTimeout : nil, duration: .milliseconds(latency ?? 2_000))
            _ = harness.engine.handle(.probeResult(result, series: SeriesKey(target: target.id, vantage: vantage, family: .v4), target: target))
        }
        harness.slice([:])
    }

    @Test func aHighPercentileOverTheWholeWindowFiresAWarningAndResolvesWhenItFalls() {
        let rule = DegradationRule(name: "LatencyHigh", condition: .latencyAbove(quantile: 0.95, threshold: .milliseconds(50)),
                                   window: .seconds(300))
        var harness = EngineHarness(rules: AlertRules(degradations: [rule]), targets: [target])
        for _ in 0..<5 { slice(&harness, latencies: [5, 6, 7, 8, 9, 10]) }
        #expect(harness.sent.isEmpty)
        // Slow probes: one slow slice of five is 6 of 30 probes, above the 5 % tail.
        slice(&harness, latencies: [80, 90, 85, 95, 99, 81])
        let pages = harness.paged("LatencyHigh")
        #expect(pages.count == 1)
        #expect(pages.first?.severity == .warning)
        #expect(pages.first?.annotations["description"]?.hasPrefix("p95 latency") == true)
        #expect(harness.sent("TargetDown", .firing).isEmpty)
        // Five fast slices push the slow one out of the 5-slice window.
        for _ in 0..<4 { slice(&harness, latencies: [5, 6, 7, 8, 9, 10]) }
        #expect(harness.sent("LatencyHigh", .resolved).isEmpty)
        slice(&harness, latencies: [5, 6, 7, 8, 9, 10])
        #expect(harness.sent("LatencyHigh", .resolved).count == 1)
    }

    @Test func aFailureRateAboveItsShareFiresWithoutAnOutage() {
        let rule = DegradationRule(name: "DNSFailures", condition: .failureRateAbove(share: 0.05), window: .seconds(600), kinds: [.tcp])
        var harness = EngineHarness(rules: AlertRules(degradations: [rule]), targets: [target])
        // One failure in six per slice: 16.7 %, never a DOWN slice (below half).
        for _ in 0..<3 { slice(&harness, latencies: [5, 5, nil, 5, 5, 5]) }
        #expect(harness.paged("DNSFailures").count == 1)
        #expect(harness.paged("DNSFailures").first?.annotations["description"]?.contains("16.7 %") == true)
        #expect(harness.paged("TargetDown").isEmpty)
    }

    @Test func tooFewProbesAreNotJudged() {
        let rule = DegradationRule(name: "DNSFailures", condition: .failureRateAbove(share: 0.05), window: .seconds(600), minimumProbes: 30)
        var harness = EngineHarness(rules: AlertRules(degradations: [rule]), targets: [target])
        for _ in 0..<4 { slice(&harness, latencies: [5, 5, nil, 5, 5, 5]) }
        #expect(harness.paged("DNSFailures").isEmpty)
        slice(&harness, latencies: [5, 5, nil, 5, 5, 5])
        #expect(harness.paged("DNSFailures").count == 1)
    }

    @Test func aRuleForAnotherServiceOrKindDoesNotApply() {
        let rules = [
            DegradationRule(name: "WebFailures", condition: .failureRateAbove(share: 0.05), window: .seconds(60), services: ["web"], minimumProbes: 1),
            DegradationRule(name: "HTTPFailures", condition: .failureRateAbove(share: 0.05), window: .seconds(60), kinds: [.http], minimumProbes: 1),
        ]
        var harness = EngineHarness(rules: AlertRules(degradations: rules), targets: [target])
        for _ in 0..<3 { slice(&harness, latencies: [5, nil, 5, 5, 5, 5]) }
        #expect(harness.sent.isEmpty)
    }

    @Test func probesFromAnUnhealthyVantageAreLeftOut() {
        let rule = DegradationRule(name: "DNSFailures", condition: .failureRateAbove(share: 0.05), window: .seconds(60), minimumProbes: 1)
        var harness = EngineHarness(rules: AlertRules(degradations: [rule]), targets: [target])
        harness.health("hanoi-1", healthy: false, at: harness.sliceStart(0))
        for _ in 0..<3 { slice(&harness, latencies: [5, nil, nil, 5, 5, 5]) }
        #expect(harness.paged("DNSFailures").isEmpty)
    }
}
