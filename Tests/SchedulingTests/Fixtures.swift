import Scheduling
import WatchCore

/// An epoch-aligned start for simulations: 2027-01-15T08:00:00Z, a multiple of every interval used.
let simulationStart = Timestamp(nanosecondsSinceEpoch: 1_799_913_600 * 1_000_000_000)

/// The instant `seconds` (may be fractional via milliseconds) after ``simulationStart``.
func instant(seconds: Int64 = 0, milliseconds: Int64 = 0, nanoseconds: Int64 = 0) -> Timestamp {
    simulationStart.advanced(by: .seconds(seconds) + .milliseconds(milliseconds) + .nanoseconds(nanoseconds))
}

func seriesKey(_ target: String, vantage: String = "hanoi-vnpt-1", family: IPFamily = .v4) -> SeriesKey {
    SeriesKey(target: TargetID(target), vantage: vantage, family: family)
}

func schedules(
    count: Int, providers: Int = 1, interval: Duration = .seconds(60), failingInterval: Duration? = nil,
    prefix: String = "target"
) -> [SeriesSchedule] {
    (0..<count).map { index in
        SeriesSchedule(
            series: seriesKey("\(prefix)-\(index)"), provider: "provider-\(index % providers)", interval: interval,
            failingInterval: failingInterval)
    }
}

extension ProbeAdmission.Action {
    var startedProbe: ScheduledProbe? {
        if case .start(let probe, _) = self { return probe }
        return nil
    }

    var missReason: ProbeAdmission.MissReason? {
        if case .miss(_, let reason) = self { return reason }
        return nil
    }
}
