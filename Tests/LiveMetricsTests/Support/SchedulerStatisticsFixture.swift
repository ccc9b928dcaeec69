import Scheduling

/// Scheduler statistics with starts spread over the lateness buckets, kept consistent the way the
/// scheduler keeps them (slots due = started + missed; bucket counts sum to started).
enum SchedulerStatisticsFixture {
    /// Lateness of each start, in milliseconds.
    static let latenessMilliseconds: [Int64] = [0, 0, 1, 3, 7, 7, 40, 120, 2_000, 45_000]

    static func make() -> SchedulerStatistics {
        var statistics = SchedulerStatistics()
        let bounds = SchedulerStatistics.latenessBucketBounds.map(\.nanoseconds)
        for milliseconds in latenessMilliseconds {
            let lateness = milliseconds * 1_000_000
            let bucket = bounds.firstIndex { lateness <= $0 } ?? bounds.count
            statistics.latenessBucketCounts[bucket] += 1
            statistics.totalLatenessNanoseconds += lateness
            statistics.maximumLatenessNanoseconds = max(statistics.maximumLatenessNanoseconds, lateness)
            if milliseconds <= 5 { statistics.startedOnTime += 1 } else { statistics.startedLate += 1 }
        }
        statistics.missedStartTooLate = 2
        statistics.slotsDue = statistics.started + statistics.missedStartTooLate
        return statistics
    }
}
