import Alerting
import Testing
import WatchCore

@Suite struct BurnRateRuleTests {
    let target = dnsTarget("vnpt-dns-hn-1")
    let objective = ServiceObjective(id: "vnpt-dns-monthly", provider: "vnpt", service: "dns", availability: 0.995)

    @Test func theWorkbookThresholdsHoldForAMonthAndForANineDayWatchWithScaledWindows() {
        let month = BurnRatePair.standard(period: .seconds(30 * 86_400))
        #expect(month.map { ($0.threshold(period: .seconds(30 * 86_400)) * 10).rounded() / 10 } == [14.4, 6, 3, 1])
        #expect(month.map(\.long) == [.seconds(3_600), .seconds(21_600), .seconds(86_400), .seconds(259_200)])
        #expect(month.map(\.severity) == [.critical, .critical, .warning, .warning])
        let watch = BurnRatePair.standard(period: .seconds(9 * 86_400))
        #expect(watch.map { ($0.threshold(period: .seconds(9 * 86_400)) * 10).rounded() / 10 } == [14.4, 6, 3, 1])
        #expect(watch[0].long == .seconds(1_080) && watch[0].short == .seconds(90))
    }

    @Test func fiveDownMinutesInAnHourBurnTwoPercentOfAMonthlyBudgetAndPage() {
        var harness = EngineHarness(rules: AlertRules(burnRates: [BurnRateObjective(objective: objective)]), targets: [target])
        harness.run(String(repeating: "U", count: 55) + "DDDD", target: target)
        #expect(harness.paged("SLOBurnRate").isEmpty)
        // The fifth DOWN minute: 5/60 = 8.3 % errors, 16.7× a 0.5 % budget, above 14.4× on both windows.
        harness.run("D", target: target)
        let pages = harness.paged("SLOBurnRate")
        #expect(pages.count == 1)
        #expect(pages.first?.severity == .critical)
        #expect(pages.first?.labels["objective"] == "vnpt-dns-monthly")
        #expect(pages.first?.labels["window"] == "3600s")
        #expect(pages.first?.key.dedupKey == "vnpt/vnpt-dns-monthly/3600s")
        // The short window (5 min) clears once none of its slices is DOWN (one in five is 20 %,
        // still 40× the budget), though the long window still burns: 5 UP minutes.
        harness.run("UUUU", target: target)
        #expect(harness.sent("SLOBurnRate", .resolved).isEmpty)
        harness.run("U", target: target)
        #expect(harness.sent("SLOBurnRate", .resolved).count == 1)
    }

    @Test func aShortBlipBurnsTooLittleToPage() {
        var harness = EngineHarness(rules: AlertRules(burnRates: [BurnRateObjective(objective: objective)]), targets: [target])
        harness.run(String(repeating: "U", count: 60) + "DD" + String(repeating: "U", count: 10), target: target)
        #expect(harness.paged("SLOBurnRate").isEmpty)
    }

    @Test func aNineDayWatchPagesOnItsShorterWindows() {
        let watch = BurnRateObjective(objective: objective, period: .seconds(9 * 86_400))
        var harness = EngineHarness(rules: AlertRules(burnRates: [watch]), targets: [target])
        // 18-minute long window: two DOWN minutes are 11 % errors, 22× the budget.
        harness.run(String(repeating: "U", count: 16) + "DD", target: target)
        #expect(harness.paged("SLOBurnRate").map(\.labels["window"]) == ["1080s"])
    }

    @Test func anotherProvidersTargetsDoNotCount() {
        let other = dnsTarget("viettel-dns-1", provider: "viettel")
        var harness = EngineHarness(rules: AlertRules(burnRates: [BurnRateObjective(objective: objective)]), targets: [target, other])
        for _ in 0..<70 { harness.slice([target: ["hanoi-1": true], other: ["hanoi-1": false]]) }
        #expect(harness.paged("SLOBurnRate").isEmpty)
    }
}
