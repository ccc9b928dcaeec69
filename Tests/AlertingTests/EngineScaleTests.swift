import Alerting
import Testing
import WatchCore

@Suite struct EngineScaleTests {
    /// 10,000 targets of 10 providers probed every 10 s from one vantage; one provider goes down for
    /// good. Measures the engine's cost per result and per slice close (debug build: an upper bound).
    @Test func tenThousandTargetsAndAProviderOutageGiveOneProviderPage() {
        let targets = (0..<10_000).map { dnsTarget("t-\($0)", provider: "p\($0 % 10)") }
        var engine = AlertEngine(targets: targets)
        _ = engine.handle(.tick(simulationStart))
        var notifications: [AlertNotification] = []
        var results = 0
        let clock = ContinuousClock()
        var resultTime = Duration.zero
        var tickTime = Duration.zero
        for slice in 0..<5 {
            let sliceStart = simulationStart.advanced(by: .seconds(60 * Int64(slice)))
            let began = clock.now
            for probe in 0..<6 {
                let at = sliceStart.advanced(by: .seconds(Int64(probe) * 10 + 1))
                for target in targets {
                    let failing = target.provider == "p3" && slice >= 1
                    let result = ProbeResult(target: target.id, kind: .tcp, ipFamily: .v4, startedAt: at,
                                             failure: failing ? .tcpTimeout : nil, duration: .milliseconds(4))
                    _ = engine.handle(.probeResult(result, series: SeriesKey(target: target.id, vantage: "hanoi-1", family: .v4), target: target))
                    results += 1
                }
            }
            resultTime += clock.now - began
            let tickBegan = clock.now
            notifications += engine.handle(.tick(sliceStart.advanced(by: .seconds(76))))
            tickTime += clock.now - tickBegan
        }
        // One alert (sent, then re-sent once a minute), and not one TargetDown of its 1,000 targets.
        #expect(Set(notifications.map(\.key)) == [AlertKey(alertName: "ProviderOutage", dedupKey: "p3")])
        #expect(notifications.allSatisfy { $0.status == .firing })
        #expect(engine.targetDownPhase(target: "t-3", family: .v4) == .firing)
        let perResult = resultTime / results
        print("engine: \(results) results, \(perResult) per result; 5 slice closes over 10,000 units in \(tickTime)")
        #expect(resultTime + tickTime < .seconds(60))
    }
}
