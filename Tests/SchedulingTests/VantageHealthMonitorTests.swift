import Scheduling
import Testing
import WatchCore

struct VantageHealthMonitorTests {
    private let first = seriesKey("ispwatch.control.quad9")
    private let second = seriesKey("ispwatch.control.cloudflare")

    private func monitor() -> VantageHealthMonitor {
        VantageHealthMonitor(controls: [first: .seconds(65), second: .seconds(65)])
    }

    @Test func oneWorkingControlKeepsTheVantageHealthy() {
        var health = monitor()
        #expect(health.record(control: first, succeeded: false, at: instant(seconds: 0)) == .unhealthy)
        #expect(health.record(control: second, succeeded: true, at: instant(seconds: 1)) == .healthy)
        #expect(health.failingControls(at: instant(seconds: 1)) == 1)
    }

    @Test func everyControlFailingMakesItUnhealthyUntilOneSucceeds() {
        var health = monitor()
        health.record(control: first, succeeded: true, at: instant(seconds: 0))
        health.record(control: second, succeeded: true, at: instant(seconds: 10))
        health.record(control: first, succeeded: false, at: instant(seconds: 60))
        #expect(health.verdict == .healthy)
        health.record(control: second, succeeded: false, at: instant(seconds: 70))
        #expect(health.verdict == .unhealthy)
        #expect(health.changedAt == instant(seconds: 70))
        // The break happened after the last success, which is what an unhealthy spell is dated from.
        #expect(health.lastSuccessAt == instant(seconds: 10))
        health.record(control: first, succeeded: true, at: instant(seconds: 120))
        #expect(health.verdict == .healthy)
    }

    @Test func staleResultsDropOutAndNoEvidenceKeepsTheVerdict() {
        var health = monitor()
        health.record(control: first, succeeded: false, at: instant(seconds: 0))
        health.record(control: second, succeeded: true, at: instant(seconds: 0))
        // The success is stale at 100 s, the failure too: no evidence, the verdict stays healthy.
        #expect(health.evaluate(at: instant(seconds: 100)) == .healthy)
        health.record(control: first, succeeded: false, at: instant(seconds: 101))
        // Only the fresh failure counts now.
        #expect(health.verdict == .unhealthy)
    }

    @Test func aVantageWithoutControlsIsAlwaysHealthy() {
        var health = VantageHealthMonitor()
        #expect(health.record(control: first, succeeded: false, at: instant()) == .healthy)
        var configured = monitor()
        configured.record(control: first, succeeded: false, at: instant())
        configured.record(control: second, succeeded: false, at: instant())
        configured.setControls([:])
        #expect(configured.verdict == .healthy)
    }
}
