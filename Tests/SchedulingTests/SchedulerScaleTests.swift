import Scheduling
import Testing
import WatchCore

@Suite struct SchedulerScaleTests {
    /// 100,000 series at a 60 s interval for one simulated hour, the daemon waking every 100 ms and
    /// every probe finishing at once: exactly 60 slots per series, none lost, none missed.
    @Test func aSimulatedHourOfOneHundredThousandSeriesSchedulesEveryProbeOnce() {
        let seriesCount = 100_000
        var scheduler = ProbeScheduler(limits: AdmissionLimits(maximumInFlight: 20_000))
        scheduler.apply(schedules(count: seriesCount, providers: 20), at: instant())
        var startsPerSeries = [Int](repeating: 0, count: seriesCount)
        var started = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for step in 0...36_000 {
                // The last step ends 1 ns before the hour, so slots in [0, 3600 s) are exactly 60 each.
                let now = step == 36_000 ? instant(seconds: 3_600) - .nanoseconds(1) : instant(milliseconds: Int64(step) * 100)
                for action in scheduler.advance(to: now) {
                    guard case .start(let probe, _) = action else { continue }
                    started += 1
                    startsPerSeries[Int(probe.series.target.rawValue.dropFirst("target-".count))!] += 1
                    _ = scheduler.probeFinished(probe, succeeded: true, at: now)
                }
            }
        }
        let statistics = scheduler.statistics
        #expect(started == 6_000_000)
        #expect(statistics.slotsDue == 6_000_000)
        #expect(statistics.started == 6_000_000)
        #expect(statistics.missed == 0)
        #expect(startsPerSeries.allSatisfy { $0 == 60 })
        #expect(statistics.maximumLateness < .milliseconds(100))
        print("100k series × 1 simulated hour: \(started) probes scheduled in \(elapsed)")
    }
}
