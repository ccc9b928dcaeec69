import Alerting
import SLAEngine
import Testing
import WatchCore

@Suite struct TargetDownRuleTests {
    let target = dnsTarget("vnpt-dns-hn-1")

    @Test func threeDownSlicesFireOnceStartingAtTheFirstAndPendingSendsNothing() {
        var harness = EngineHarness(targets: [target])
        harness.run("UUD", target: target)
        #expect(harness.engine.targetDownPhase(target: target.id, family: .v4) == .pending)
        harness.run("D", target: target)
        #expect(harness.sent.isEmpty)
        harness.run("D", target: target)
        let fired = harness.paged("TargetDown")
        #expect(fired.count == 1)
        #expect(fired.first?.startsAt == harness.sliceStart(2))
        #expect(fired.first?.key.dedupKey == "vnpt/dns/vnpt-dns-hn-1/v4")
        #expect(fired.first?.labels["provider"] == "vnpt")
        #expect(fired.first?.labels["severity"] == "critical")
        #expect(harness.engine.targetDownPhase(target: target.id, family: .v4) == .firing)
        harness.run("DDD", target: target)
        #expect(harness.paged("TargetDown").count == 1)
    }

    @Test func fiveUpSlicesResolveAtTheStartOfTheFirstOfThem() {
        var harness = EngineHarness(targets: [target])
        harness.run("DDDUUUU", target: target)
        #expect(harness.sent("TargetDown", .resolved).isEmpty)
        harness.run("U", target: target)
        let resolved = harness.sent("TargetDown", .resolved)
        #expect(resolved.count == 1)
        #expect(resolved.first?.endsAt == harness.sliceStart(3))
        #expect(resolved.first?.startsAt == harness.sliceStart(0))
        #expect(harness.engine.targetDownPhase(target: target.id, family: .v4) == .resolved)
        harness.run("D", target: target)
        #expect(harness.engine.targetDownPhase(target: target.id, family: .v4) == .pending)
    }

    @Test func unknownSlicesFreezeBothRuns() {
        var opening = EngineHarness(targets: [target])
        opening.run("DD?D", target: target)
        #expect(opening.paged("TargetDown").count == 1)

        var closing = EngineHarness(targets: [target])
        closing.run("DDDUU?UU", target: target)
        #expect(closing.sent("TargetDown", .resolved).isEmpty)
        closing.run("U", target: target)
        #expect(closing.sent("TargetDown", .resolved).count == 1)
    }

    @Test func anUpSliceBreaksTheDownRun() {
        var harness = EngineHarness(targets: [target])
        harness.run("DDUDDUDD", target: target)
        #expect(harness.sent.isEmpty)
    }

    @Test func halfTheProbesFailedIsDownAsInTheSLAEngine() {
        var harness = EngineHarness(targets: [target])
        // Two vantages and a quorum of one: one of two DOWN makes the target DOWN only when the
        // slice rule says so per vantage; here each vantage sees 1 failure of 2 probes.
        var rules = AlertRules()
        rules.accounting.quorum = QuorumRule(downVantages: 1)
        harness = EngineHarness(rules: rules, targets: [target])
        for _ in 0..<3 {
            let at = harness.sliceStart(harness.slice)
            for (offset, success) in [(5, true), (35, false)] {
                let result = ProbeResult(target: target.id, kind: .tcp, ipFamily: .v4, startedAt: at.advanced(by: .seconds(Int64(offset))),
                                         failure: success ? nil : .tcpTimeout, duration: .seconds(1))
                _ = harness.engine.handle(.probeResult(result, series: SeriesKey(target: target.id, vantage: "v", family: .v4), target: target))
            }
            harness.slice([:])
        }
        #expect(harness.paged("TargetDown").count == 1)
    }

    @Test func proberFaultsAreLeftOut() {
        var harness = EngineHarness(targets: [target])
        for _ in 0..<4 {
            let result = ProbeResult(target: target.id, kind: .tcp, ipFamily: .v4, startedAt: harness.sliceStart(harness.slice).advanced(by: .seconds(3)),
                                     failure: .proberError, duration: .zero)
            _ = harness.engine.handle(.probeResult(result, series: SeriesKey(target: target.id, vantage: "v", family: .v4), target: target))
            harness.slice([:])
        }
        #expect(harness.sent.isEmpty)
    }

    @Test func aResultArrivingAfterItsSliceWasJudgedIsDroppedAndCounted() {
        var harness = EngineHarness(targets: [target])
        harness.run("UU", target: target)
        let late = ProbeResult(target: target.id, kind: .tcp, ipFamily: .v4, startedAt: harness.sliceStart(0), failure: .tcpTimeout, duration: .seconds(1))
        _ = harness.engine.handle(.probeResult(late, series: SeriesKey(target: target.id, vantage: "hanoi-1", family: .v4), target: target))
        #expect(harness.engine.lateResults == 1)
    }

    @Test func aFiringAlertIsSentAgainEveryResendIntervalUntilResolved() {
        var harness = EngineHarness(targets: [target])
        harness.run("DDD", target: target)
        #expect(harness.sent("TargetDown", .firing).count == 1)
        // The ticks of the next slices are 60 s apart: each one re-sends.
        harness.run("DD", target: target)
        #expect(harness.sent("TargetDown", .firing).count == 3)
        let tooSoon = harness.engine.handle(.tick(harness.sliceStart(harness.slice).advanced(by: .seconds(30))))
        #expect(tooSoon.isEmpty)
        harness.run("UUUUU", target: target)
        let afterResolve = harness.engine.handle(.tick(harness.sliceStart(harness.slice + 5)))
        #expect(afterResolve.isEmpty)
        #expect(harness.engine.firingAlerts.isEmpty)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func liveHysteresisFindsTheSameIncidentsAsTheSLAEngine(seed: UInt64) {
        var random = SplitMix64(state: seed)
        let states = (0..<2_000).map { _ in
            // Runs, so that K and M are reached often.
            [SliceState.up, .down, .unknown, .maintenance][Int(random.next() % 10) < 4 ? 0 : Int(random.next() % 4)]
        }
        for rule in [IncidentRule(), IncidentRule(openAfterDownSlices: 1, closeAfterUpSlices: 1), IncidentRule(openAfterDownSlices: 2, closeAfterUpSlices: 3)] {
            var live = IncidentHysteresis(rule: rule)
            var spans: [IncidentSpan] = []
            for (slice, state) in states.enumerated() {
                if case .closed(let first, let end) = live.feed(state, slice: slice) {
                    spans.append(IncidentSpan(firstSlice: first, endSlice: end))
                }
            }
            if let open = live.openSince { spans.append(IncidentSpan(firstSlice: open, endSlice: nil)) }
            #expect(spans == IncidentDetector.incidents(in: states, rule: rule))
            #expect(!spans.isEmpty)
        }
    }
}
