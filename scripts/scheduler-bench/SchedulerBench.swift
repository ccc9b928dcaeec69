import Scheduling
import WatchCore
@main struct SchedulerBench { static func main() {
// One simulated hour of N series at 60 s through ProbeScheduler; run by scripts/scheduler-bench/run.sh.

let start = Timestamp(nanosecondsSinceEpoch: 1_799_913_600 * 1_000_000_000)
let seriesCount = Int(CommandLine.arguments.dropFirst().first ?? "100000")!
var scheduler = ProbeScheduler(limits: AdmissionLimits(maximumInFlight: 20_000))
let schedules = (0..<seriesCount).map {
    SeriesSchedule(series: SeriesKey(target: TargetID("target-\($0)"), vantage: "hanoi-vnpt-1", family: .v4),
                   provider: "provider-\($0 % 20)", interval: .seconds(60))
}
let clock = ContinuousClock()
let applyTime = clock.measure { scheduler.apply(schedules, at: start) }
var started = 0
let runTime = clock.measure {
    for step in 0...36_000 {
        let now = step == 36_000 ? start.advanced(by: .seconds(3600) - .nanoseconds(1)) : start.advanced(by: .milliseconds(Int64(step) * 100))
        for action in scheduler.advance(to: now) {
            guard case .start(let probe, _) = action else { continue }
            started += 1
            _ = scheduler.probeFinished(probe, succeeded: true, at: now)
        }
    }
}
let s = scheduler.statistics
print("series=\(seriesCount) apply=\(applyTime) hour=\(runTime) started=\(started) slotsDue=\(s.slotsDue) missed=\(s.missed) ns/probe=\(Double(runTime.nanoseconds)/Double(started))")
}}
