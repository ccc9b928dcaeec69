import Benchmark
import Scheduling
import WatchCore

// The scheduling core alone, as `ispwatch run` drives it: 100,000 series at a 60 s interval for
// one simulated hour, the daemon waking every 100 ms and every probe finishing at once. No I/O and
// no sleeping, so the figure is what the core costs the daemon per probe (due + admission +
// finish). One iteration is 6,000,000 probes: divide its time by 6M for the cost per probe.

let benchmarks: @Sendable () -> Void = {
    let seriesCount = 100_000
    let start = Timestamp(nanosecondsSinceEpoch: 1_799_913_600 * 1_000_000_000)
    let schedules = (0..<seriesCount).map {
        SeriesSchedule(
            series: SeriesKey(target: TargetID("target-\($0)"), vantage: "hanoi-vnpt-1", family: .v4),
            provider: "provider-\($0 % 20)", interval: .seconds(60))
    }

    Benchmark(
        "100k series × 60 s, one simulated hour (6M probes)",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
            timeUnits: .milliseconds, maxDuration: .seconds(30), maxIterations: 3)
    ) { benchmark in
        var scheduler = ProbeScheduler(limits: AdmissionLimits(maximumInFlight: 20_000))
        scheduler.apply(schedules, at: start)
        var started = 0
        benchmark.startMeasurement()
        for step in 0...36_000 {
            let now = step == 36_000
                ? start.advanced(by: .seconds(3600) - .nanoseconds(1))
                : start.advanced(by: .milliseconds(Int64(step) * 100))
            for action in scheduler.advance(to: now) {
                guard case .start(let probe, _) = action else { continue }
                started += 1
                _ = scheduler.probeFinished(probe, succeeded: true, at: now)
            }
        }
        benchmark.stopMeasurement()
        precondition(started == 6_000_000 && scheduler.statistics.missed == 0, "started \(started)")
    }

    Benchmark(
        "apply 100k series (a full reload)",
        configuration: .init(metrics: [.wallClock, .cpuTotal], timeUnits: .milliseconds, maxIterations: 10)
    ) { benchmark in
        var scheduler = ProbeScheduler(limits: AdmissionLimits(maximumInFlight: 20_000))
        benchmark.startMeasurement()
        blackHole(scheduler.apply(schedules, at: start))
        benchmark.stopMeasurement()
    }
}
