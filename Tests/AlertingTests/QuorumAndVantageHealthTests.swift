import Alerting
import SLAEngine
import Testing
import WatchCore

@Suite struct QuorumAndVantageHealthTests {
    let target = dnsTarget("vnpt-dns-hn-1")

    @Test func oneVantageDownAndTwoUpDoesNotFire() {
        var harness = EngineHarness(targets: [target])
        for _ in 0..<5 { harness.slice([target: ["a": false, "b": true, "c": true]]) }
        #expect(harness.sent.isEmpty)
    }

    @Test func twoOfThreeVantagesDownFire() {
        var harness = EngineHarness(targets: [target])
        for _ in 0..<3 { harness.slice([target: ["a": false, "b": false, "c": true]]) }
        #expect(harness.paged("TargetDown").count == 1)
        #expect(harness.paged("TargetDown").first?.labels["vantage"] == nil)
    }

    @Test func aSingleReportingVantageDecidesAlone() {
        var harness = EngineHarness(targets: [target])
        for _ in 0..<3 { harness.slice([target: ["a": false]]) }
        #expect(harness.paged("TargetDown").count == 1)
    }

    @Test func anUnhealthyVantageCannotMakeTheQuorum() {
        var harness = EngineHarness(targets: [target])
        harness.health("a", healthy: false, at: harness.sliceStart(0))
        for _ in 0..<4 { harness.slice([target: ["a": false, "b": false, "c": true]]) }
        #expect(harness.paged("TargetDown").isEmpty)
    }

    @Test func aVantageLosingItsNetworkPagesThePlatformOnceAndNoProvider() {
        let targets = (1...4).map { dnsTarget("vnpt-dns-\($0)") }
        var harness = EngineHarness(targets: targets)
        let lost = harness.sliceStart(0).advanced(by: .seconds(1))
        harness.health("hanoi-1", healthy: false, at: lost)
        // Every probe of the only vantage fails: its network is down, not the providers'.
        for _ in 0..<6 { harness.slice(Dictionary(uniqueKeysWithValues: targets.map { ($0, ["hanoi-1": false]) })) }
        let pages = harness.sent.filter { $0.status == .firing }
        #expect(pages.filter { $0.key == AlertEngine.vantageKey("hanoi-1") }.count >= 1)
        #expect(Set(pages.map(\.key)) == [AlertEngine.vantageKey("hanoi-1")])
        let page = pages[0]
        #expect(page.labels["team"] == "platform")
        #expect(page.labels["provider"] == nil)
        #expect(page.startsAt == lost)
        #expect(harness.paged("TargetDown").isEmpty && harness.paged("ProviderOutage").isEmpty)

        let back = harness.sliceStart(harness.slice).advanced(by: .seconds(2))
        harness.health("hanoi-1", healthy: true, at: back)
        #expect(harness.sent("VantageUnhealthy", .resolved).first?.endsAt == back)
        #expect(harness.engine.firingAlerts.isEmpty)
    }

    @Test func aShortUnhealthyBlipPagesNobody() {
        var harness = EngineHarness(targets: [target])
        harness.health("hanoi-1", healthy: false, at: harness.sliceStart(0))
        _ = harness.engine.handle(.tick(harness.sliceStart(0).advanced(by: .seconds(30))))
        harness.health("hanoi-1", healthy: true, at: harness.sliceStart(0).advanced(by: .seconds(40)))
        _ = harness.engine.handle(.tick(harness.sliceStart(0).advanced(by: .seconds(120))))
        #expect(harness.sent.isEmpty)
    }

    @Test func aVantageUnhealthyForAMomentMakesTheWholeSliceUnknown() {
        var harness = EngineHarness(targets: [target])
        harness.run("DD", target: target)
        // Unhealthy for 10 s in the middle of slice 2: its DOWN result there is not trusted.
        harness.health("hanoi-1", healthy: false, at: harness.sliceStart(2).advanced(by: .seconds(20)))
        harness.health("hanoi-1", healthy: true, at: harness.sliceStart(2).advanced(by: .seconds(30)))
        harness.run("D", target: target)
        #expect(harness.paged("TargetDown").isEmpty)
        harness.run("D", target: target)
        #expect(harness.paged("TargetDown").first?.startsAt == harness.sliceStart(0))
    }
}
