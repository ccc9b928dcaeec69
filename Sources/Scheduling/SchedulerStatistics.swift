import WatchCore

/// What the scheduler did: slots, starts, lateness and misses. A value, so `/metrics` and tests read
/// a consistent snapshot.
///
/// Every due slot ends in exactly one place: started (on time or late), missed, or still waiting:
/// `slotsDue == started + missedStartTooLate + missedPreviousStillRunning + withdrawnByReload + waiting` holds after
/// every event. Slots skipped while the caller stalled never became due and are counted apart, in
/// ``missedSkippedSlots``.
public struct SchedulerStatistics: Sendable, Hashable {
    /// Slots handed to admission.
    public var slotsDue = 0
    /// Probes started within the on-time tolerance of their slot.
    public var startedOnTime = 0
    /// Probes started after the on-time tolerance, but before their latest start.
    public var startedLate = 0
    /// Probes that waited for a limit past their latest start, or until the series' next slot came;
    /// the next slot was taken instead.
    public var missedStartTooLate = 0
    /// Slots that came while the series' previous probe was still running (one probe per series).
    public var missedPreviousStillRunning = 0
    /// Slots skipped because the caller was stalled past them (see ``ProbeTimeline/skippedSlots``).
    public var missedSkippedSlots = 0
    /// Waiting probes of series removed by a reload; not misses, the series is gone.
    public var withdrawnByReload = 0
    /// The sum of `startedAt - scheduledAt` over all started probes, in nanoseconds.
    public var totalLatenessNanoseconds: Int64 = 0
    /// The largest `startedAt - scheduledAt` seen, in nanoseconds.
    public var maximumLatenessNanoseconds: Int64 = 0
    /// Started probes per lateness bucket: `latenessBucketCounts[i]` counts the probes whose lateness
    /// is at most `latenessBucketBounds[i]` and above the previous bound (not cumulative); the last
    /// element counts those above every bound.
    public var latenessBucketCounts = [Int](repeating: 0, count: SchedulerStatistics.latenessBucketBounds.count + 1)

    /// Upper bounds of the lateness buckets, as for a Prometheus histogram.
    public static let latenessBucketBounds: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30),
    ]
    private static let latenessBucketBoundNanoseconds = latenessBucketBounds.map(\.nanoseconds)

    /// Creates empty statistics.
    public init() {}

    /// Probes started, on time or late.
    public var started: Int { startedOnTime + startedLate }
    /// Slots that never became a probe, whatever the reason.
    public var missed: Int { missedStartTooLate + missedPreviousStillRunning + missedSkippedSlots }
    /// The mean lateness of started probes; zero before the first start.
    public var meanLateness: Duration {
        started == 0 ? .zero : .nanoseconds(totalLatenessNanoseconds / Int64(started))
    }
    /// The largest lateness seen.
    public var maximumLateness: Duration { .nanoseconds(maximumLatenessNanoseconds) }

    /// The lateness below which `fraction` (e.g. 0.99) of started probes fall, as the upper bound of
    /// the bucket that reaches it; `nil` before the first start or when it is above every bound.
    public func latenessQuantileUpperBound(_ fraction: Double) -> Duration? {
        guard started > 0 else { return nil }
        let needed = Int((Double(started) * fraction).rounded(.up))
        var seen = 0
        for (bucket, count) in latenessBucketCounts.enumerated() {
            seen += count
            if seen >= needed {
                return bucket < Self.latenessBucketBounds.count ? Self.latenessBucketBounds[bucket] : nil
            }
        }
        return nil
    }

    mutating func recordStart(latenessNanoseconds lateness: Int64, onTimeTolerance: Int64) {
        if lateness <= onTimeTolerance { startedOnTime += 1 } else { startedLate += 1 }
        totalLatenessNanoseconds += lateness
        maximumLatenessNanoseconds = max(maximumLatenessNanoseconds, lateness)
        var bucket = 0
        let bounds = Self.latenessBucketBoundNanoseconds
        while bucket < bounds.count && lateness > bounds[bucket] { bucket += 1 }
        latenessBucketCounts[bucket] += 1
    }
}
