import Scheduling
import Testing
import WatchCore

@Suite struct SchedulerScaleTests {
    /// Series at a 60 s interval, the daemon waking every 100 ms and every probe finishing at once:
    /// exactly one slot per series per minute, none lost, none missed.
    ///
    /// Two shapes of 600,000 probes each, to stay a few seconds in a debug build: 100,000 series
    /// (the heap at full size) for 6 simulated minutes, and 10,000 series for a whole hour. The full
    /// 100k-series hour (6,000,000 probes) is the `SchedulerBenchmarks` suite in `Benchmarks/`.
    @Test(arguments: [(100_000, 6), (10_000, 60)])
    func everySlotIsScheduledExactlyOnce(seriesCount: Int, minutes: Int) {
        let started = simulate(seriesCount: seriesCount, minutes: minutes)
        #expect(started == seriesCount * minutes)
    }

    /// Runs the simulation, checks every series started exactly once per minute and nothing was
    /// missed, and returns the number of probes started.
    private func simulate(seriesCount: Int, minutes: Int) -> Int {
        var scheduler = ProbeScheduler(limits: AdmissionLimits(maximumInFlight: 20_000))
        scheduler.apply(schedules(count: seriesCount, providers: 20), at: instant())
        var startsPerSeries = [Int](repeating: 0, count: seriesCount)
        var started = 0
        let steps = minutes * 600
        let elapsed = ContinuousClock().measure {
            for step in 0...steps {
                // The last step ends 1 ns before the span, so slots in [0, span) are exactly one a minute.
                let now =
                    step == steps
                    ? instant(seconds: Int64(minutes) * 60) - .nanoseconds(1) : instant(milliseconds: Int64(step) * 100)
                for action in scheduler.advance(to: now) {
                    guard case .start(let probe, _) = action else { continue }
                    started += 1
                    startsPerSeries[Int(probe.series.target.rawValue.dropFirst("target-".count))!] += 1
                    _ = scheduler.probeFinished(probe, succeeded: true, at: now)
                }
            }
        }
        let statistics = scheduler.statistics
        #expect(statistics.slotsDue == seriesCount * minutes)
        #expect(statistics.started == started)
        #expect(statistics.missed == 0)
        #expect(startsPerSeries.allSatisfy { $0 == minutes })
        #expect(statistics.maximumLateness < .milliseconds(100))
        print("\(seriesCount) series × \(minutes) simulated minutes: \(started) probes in \(elapsed)")
        return started
    }
}
