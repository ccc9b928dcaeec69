import Alerting
import SLAEngine
import Testing
import WatchCore

@Suite struct ProviderOutageAndFlappingTests {
    let vnpt = (1...4).map { dnsTarget("vnpt-dns-\($0)") }
    let viettel = dnsTarget("viettel-dns-1", provider: "viettel")

    private func outcomes(down: [Target], up: [Target]) -> [Target: [String: Bool]] {
        var map: [Target: [String: Bool]] = [:]
        for target in down { map[target] = ["hanoi-1": false] }
        for target in up { map[target] = ["hanoi-1": true] }
        return map
    }

    @Test func aProviderWideOutageSendsOneProviderPageInsteadOfOnePerTarget() {
        var harness = EngineHarness(targets: vnpt + [viettel])
        for _ in 0..<4 { harness.slice(outcomes(down: vnpt, up: [viettel])) }
        let pages = harness.sent.filter { $0.status == .firing }
        #expect(Set(pages.map(\.key)) == [AlertKey(alertName: "ProviderOutage", dedupKey: "vnpt")])
        #expect(harness.paged("ProviderOutage").count == 1)
        #expect(pages.first?.labels["provider"] == "vnpt")
        #expect(harness.paged("TargetDown").isEmpty)
        #expect(harness.engine.targetDownPhase(target: vnpt[0].id, family: .v4) == .firing)

        for _ in 0..<5 { harness.slice(outcomes(down: [], up: vnpt + [viettel])) }
        #expect(harness.sent("ProviderOutage", .resolved).count == 1)
        // The withheld target pages were never sent, so there is nothing to resolve.
        #expect(harness.sent("TargetDown", .resolved).isEmpty)
        #expect(harness.engine.firingAlerts.isEmpty)
    }

    @Test func targetsStillDownWhenTheProviderOutageEndsArePagedThen() {
        var harness = EngineHarness(targets: vnpt)
        for _ in 0..<3 { harness.slice(outcomes(down: vnpt, up: [])) }
        #expect(harness.paged("ProviderOutage").count == 1)
        // Three recover; one stays down: 1 of 4 is below half.
        for _ in 0..<5 { harness.slice(outcomes(down: [vnpt[0]], up: Array(vnpt[1...]))) }
        #expect(harness.sent("ProviderOutage", .resolved).count == 1)
        #expect(harness.paged("TargetDown").map(\.labels["target"]) == ["vnpt-dns-1"])
    }

    @Test func oneTargetDownOfFourIsATargetPageNotAProviderPage() {
        var harness = EngineHarness(targets: vnpt)
        for _ in 0..<3 { harness.slice(outcomes(down: [vnpt[2]], up: [vnpt[0], vnpt[1], vnpt[3]])) }
        #expect(harness.paged("ProviderOutage").isEmpty)
        #expect(harness.paged("TargetDown").map(\.labels["target"]) == ["vnpt-dns-3"])
    }

    @Test func flappingSendsOneNoticeAndHoldsTheAlertOpenUntilItSettles() {
        let target = vnpt[0]
        var harness = EngineHarness(targets: [target])
        harness.run("DDD", target: target)
        #expect(harness.paged("TargetDown").count == 1)
        harness.run("UDUDUDUD", target: target)
        #expect(harness.engine.isFlapping(target: target.id, family: .v4))
        let notices = harness.paged("TargetFlapping")
        #expect(notices.count == 1)
        #expect(notices.first?.severity == .info)
        // Five UP slices would close it, but not while it flaps.
        harness.run("UUUUU", target: target)
        #expect(harness.sent("TargetDown", .resolved).isEmpty)
        #expect(harness.engine.targetDownPhase(target: target.id, family: .v4) == .firing)
        // Once the changes leave the window, flapping ends and the alert resolves.
        harness.run(String(repeating: "U", count: 16), target: target)
        #expect(!harness.engine.isFlapping(target: target.id, family: .v4))
        #expect(harness.sent("TargetFlapping", .resolved).count == 1)
        #expect(harness.sent("TargetDown", .resolved).count == 1)
        #expect(harness.sent("TargetDown", .resolved).first?.endsAt == harness.sliceStart(11))
    }

    @Test(arguments: [UInt64(11), 12, 13, 14])
    func liveFlappingCountsTheSameChangesAsTheSLAEngine(seed: UInt64) {
        var random = SplitMix64(state: seed)
        let states = (0..<600).map { _ in [SliceState.up, .down, .unknown, .maintenance][Int(random.next() % 4)] }
        let rule = FlappingRule()
        var live = FlappingWindow(rule: rule, clearBelow: rule.changes)
        var liveFlapping: [Bool] = []
        for state in states {
            _ = live.feed(state)
            liveFlapping.append(live.isFlapping)
        }
        // With the clear threshold equal to the raise threshold, a slice is flapping exactly when
        // the SLA engine's window ending there is.
        // The window ending at a slice is flapping when the SLA engine's last episode over the history
        // up to that slice ends with it.
        let engineFlapping = states.indices.map { slice in
            FlappingDetector.episodes(in: Array(states[...slice]), rule: rule).last?.end == slice + 1
        }
        #expect(liveFlapping == engineFlapping)
        #expect(liveFlapping.contains(true) && liveFlapping.contains(false))
    }

    @Test func maintenanceMutesTheSlicesItCovers() {
        let target = vnpt[0]
        let window = MaintenanceWindow(
            id: "vnpt-upgrade", scope: MaintenanceScope(providers: ["vnpt"]),
            schedule: .once(start: simulationStart, end: simulationStart.advanced(by: .seconds(300))),
            declaredAt: simulationStart)
        var harness = EngineHarness(targets: [target, viettel], maintenance: [window])
        for _ in 0..<5 { harness.slice([target: ["hanoi-1": false], viettel: ["hanoi-1": false]]) }
        #expect(harness.paged("TargetDown").map(\.labels["target"]) == ["viettel-dns-1"])
        harness.run("DDD", target: target)
        #expect(harness.paged("TargetDown").filter { $0.labels["target"] == "vnpt-dns-1" }.first?.startsAt == harness.sliceStart(5))
    }
}
