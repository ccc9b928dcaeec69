import WatchCore

/// The whole scheduling core the daemon drives: a ``ProbeTimeline`` of slots feeding a
/// ``ProbeAdmission`` of limits, with no clock, thread or I/O of its own.
///
/// The daemon's loop: sleep until ``nextWakeUp(after:)``, call ``advance(to:)`` with the real time and
/// start every `.start` probe (building requests with ``Target/requests(scheduledAt:)`` from
/// `probe.scheduledAt`); when a probe ends, call ``probeFinished(_:succeeded:at:)`` and start what it
/// returns; on reload call ``apply(_:limits:at:)``.
public struct ProbeScheduler: Sendable {
    /// The slots of every series.
    public private(set) var timeline = ProbeTimeline()
    /// The limits and what waits for them.
    public private(set) var admission: ProbeAdmission

    /// Creates a scheduler with no series.
    public init(limits: AdmissionLimits = AdmissionLimits()) {
        admission = ProbeAdmission(limits: limits)
    }

    /// Schedules exactly `schedules` from now on (start-up and every reload), keeping each remaining
    /// series' offset and pending slot.
    ///
    /// - Parameter limits: new limits, or `nil` to keep the current ones.
    @discardableResult
    public mutating func apply(
        _ schedules: [SeriesSchedule], limits: AdmissionLimits? = nil, at now: Timestamp
    ) -> ReloadSummary {
        if let limits, limits != admission.limits { admission.updateLimits(limits) }
        let summary = timeline.replaceAll(with: schedules, at: now)
        if !summary.removedHandles.isEmpty {
            let actions = admission.handle(.seriesRemoved(summary.removedHandles, at: now))
            assert(actions.isEmpty, "withdrawing removed series starts nothing")
        }
        return summary
    }

    /// Takes every slot due by `now` and returns the probes to start and the slots missed.
    public mutating func advance(to now: Timestamp) -> [ProbeAdmission.Action] {
        let due = timeline.due(at: now)
        return admission.handle(due.isEmpty ? .tick(now) : .slotsDue(due, at: now))
    }

    /// Records the end of a started probe: frees its place and, if it failed, moves its series to
    /// faster re-probes (back to the spread slot after the first success).
    ///
    /// - Returns: the waiting probes that may now start.
    public mutating func probeFinished(
        _ probe: ScheduledProbe, succeeded: Bool, at now: Timestamp
    ) -> [ProbeAdmission.Action] {
        timeline.recordOutcome(of: probe.handle, succeeded: succeeded, at: now)
        return admission.handle(.probeFinished(probe, at: now))
    }

    /// When the daemon should next call ``advance(to:)``: the next slot, or earlier when a waiting
    /// probe can get a token or is about to expire. `nil` when nothing is scheduled.
    public mutating func nextWakeUp(after now: Timestamp) -> Timestamp? {
        let slot = timeline.nextWakeUp()
        guard let admissionWakeUp = admission.nextWakeUp(after: now) else { return slot }
        return min(slot ?? admissionWakeUp, admissionWakeUp)
    }

    /// Everything counted so far, including slots the timeline skipped while the caller stalled.
    public var statistics: SchedulerStatistics {
        var statistics = admission.statistics
        statistics.missedSkippedSlots = timeline.skippedSlots
        return statistics
    }
}
