import WatchCore

/// When every series is next due: a min-heap of next-due slots, one per series, for 100k+ series.
///
/// Slots are epoch-aligned, `k·interval + offset` with the series' ``SpreadOffset``, so they do not
/// depend on when the process started or on the other series. While a series' last result failed its
/// slots follow the failing interval instead (same construction), and after the first success it
/// returns to its normal spread slot. A series has exactly one pending slot at any time.
///
/// Cost: O(log n) per probe and per add, remove or reschedule. No clock of its own: the caller passes
/// `now` to every call.
public struct ProbeTimeline: Sendable {
    /// The timing of one series: plain integers only, so the hot path copies no strings.
    private struct Entry: Sendable {
        var incarnation: UInt32
        var generation: UInt32
        var isLive: Bool
        var intervalNanoseconds: Int64
        var offsetNanoseconds: Int64
        var failingIntervalNanoseconds: Int64
        var failingOffsetNanoseconds: Int64
        var nextDue: Int64
        var lastScheduled: Int64?
        var isFailing: Bool
        /// Whether the pending slot is on the failing grid (a faster re-probe) or the normal one.
        var pendingIsFailingSlot: Bool
    }

    private var entries: [Entry] = []
    /// The schedule of the series at the same index as in `entries`.
    private var schedules: [SeriesSchedule] = []
    private var freeIndices: [Int32] = []
    private var index = SeriesSlotIndex()
    private var heap = DueHeap()

    /// Slots that passed while the caller did not call ``due(at:)`` (a stalled process): only the
    /// latest passed slot of a series is returned, the earlier ones are counted here as missed.
    public private(set) var skippedSlots: Int = 0
    /// Every slot ever returned by ``due(at:)``.
    public private(set) var slotsDue: Int = 0

    /// Creates an empty timeline.
    public init() {}

    /// The number of series scheduled.
    public var count: Int { index.count }

    /// The series scheduled, in no particular order.
    public var series: [SeriesKey] {
        entries.indices.compactMap { entries[$0].isLive ? schedules[$0].series : nil }
    }

    /// The schedule of `series`, if it is scheduled.
    public func schedule(of series: SeriesKey) -> SeriesSchedule? {
        slot(of: series).map { schedules[Int($0)] }
    }

    /// When `series` is next due, if it is scheduled.
    public func nextDue(of series: SeriesKey) -> Timestamp? {
        slot(of: series).map { Timestamp(nanosecondsSinceEpoch: entries[Int($0)].nextDue) }
    }

    /// Whether `series` is in its failing (faster re-probe) mode.
    public func isFailing(_ series: SeriesKey) -> Bool {
        slot(of: series).map { entries[Int($0)].isFailing } ?? false
    }

    private func slot(of series: SeriesKey) -> Int32? {
        index.slot(of: series) { schedules[Int($0)].series }
    }

    // MARK: - Adding and removing series

    /// Adds a series, or updates it when already scheduled, keeping its offset.
    ///
    /// A new series is first due at its first slot at or after `now`. An existing series whose
    /// intervals did not change keeps its pending slot (a reload never moves or repeats a probe); if
    /// they changed, it moves to the first new slot after its last one.
    ///
    /// - Returns: `true` when the series was new.
    @discardableResult
    public mutating func upsert(_ schedule: SeriesSchedule, at now: Timestamp) -> Bool {
        let interval = max(schedule.interval.nanoseconds, 1)
        let failing = max(min(schedule.failingInterval.nanoseconds, interval), 1)
        let offset = SpreadOffset.nanoseconds(of: schedule.series, intervalNanoseconds: interval)
        if let index = slot(of: schedule.series) {
            var entry = entries[Int(index)]
            let timingChanged = entry.intervalNanoseconds != interval || entry.failingIntervalNanoseconds != failing
            schedules[Int(index)] = schedule
            guard timingChanged else {
                entries[Int(index)] = entry
                return false
            }
            entry.intervalNanoseconds = interval
            entry.offsetNanoseconds = offset
            entry.failingIntervalNanoseconds = failing
            entry.failingOffsetNanoseconds = offset % failing
            let after = max(entry.lastScheduled.map { $0 + 1 } ?? now.nanosecondsSinceEpoch, now.nanosecondsSinceEpoch)
            entries[Int(index)] = entry
            reschedule(index, to: Self.slot(atOrAfter: after, step: interval, offset: offset), onFailingGrid: false)
            return false
        }
        let index: Int32
        var incarnation: UInt32 = 0
        var generation: UInt32 = 0
        if let reused = freeIndices.popLast() {
            // Heap entries of the removed series may still name this index: a fresh generation makes
            // them stale, a fresh incarnation makes its handles stale.
            index = reused
            incarnation = entries[Int(reused)].incarnation &+ 1
            generation = entries[Int(reused)].generation &+ 1
        } else {
            index = Int32(entries.count)
        }
        let entry = Entry(
            incarnation: incarnation, generation: generation, isLive: true,
            intervalNanoseconds: interval, offsetNanoseconds: offset, failingIntervalNanoseconds: failing,
            failingOffsetNanoseconds: offset % failing,
            nextDue: Self.slot(atOrAfter: now.nanosecondsSinceEpoch, step: interval, offset: offset),
            lastScheduled: nil, isFailing: false, pendingIsFailingSlot: false)
        if Int(index) == entries.count {
            entries.append(entry)
            schedules.append(schedule)
        } else {
            entries[Int(index)] = entry
            schedules[Int(index)] = schedule
        }
        self.index.insert(index, for: schedule.series)
        heap.push(.init(due: entry.nextDue, index: index, generation: entry.generation))
        return true
    }

    /// Removes a series; its pending slot is dropped and its handle no longer matches anything.
    ///
    /// - Returns: the handle the series had, to tell ``ProbeAdmission`` (`.seriesRemoved`); `nil`
    ///   when the series was not scheduled.
    @discardableResult
    public mutating func remove(_ series: SeriesKey) -> SeriesHandle? {
        guard let index = slot(of: series) else { return nil }
        self.index.remove(index, for: series)
        entries[Int(index)].isLive = false
        entries[Int(index)].generation &+= 1
        freeIndices.append(index)
        return SeriesHandle(index: index, incarnation: entries[Int(index)].incarnation)
    }

    /// Makes the timeline schedule exactly `schedules` (a configuration reload): new series are
    /// added, gone ones removed, and the others keep their offset and pending slot.
    public mutating func replaceAll(with schedules: [SeriesSchedule], at now: Timestamp) -> ReloadSummary {
        var summary = ReloadSummary()
        var wanted = Set<SeriesKey>(minimumCapacity: schedules.count)
        heap.reserve(schedules.count)
        // Sized once: grown by doubling, 100,000 series would leave 7 MB of these arrays unused.
        let added = schedules.reduce(0) { count, schedule in count + (slot(of: schedule.series) == nil ? 1 : 0) }
        let capacity = entries.count + max(0, added - freeIndices.count)
        entries.reserveCapacity(capacity)
        self.schedules.reserveCapacity(capacity)
        index.reserve(capacity)
        for schedule in schedules {
            wanted.insert(schedule.series)
            let previous = self.schedule(of: schedule.series)
            if upsert(schedule, at: now) {
                summary.added += 1
            } else if previous != schedule {
                summary.changed += 1
            } else {
                summary.unchanged += 1
            }
        }
        for series in self.series where !wanted.contains(series) {
            if let handle = remove(series) { summary.removedHandles.append(handle) }
            summary.removed += 1
        }
        return summary
    }

    // MARK: - Due slots

    /// Takes the probes whose slot has come by `now`, at most one per series, and schedules each
    /// series' next slot.
    ///
    /// When several slots of a series passed (the caller was stalled), only the latest is returned and
    /// the earlier ones are counted in ``skippedSlots``.
    public mutating func due(at now: Timestamp) -> [ScheduledProbe] {
        let nowNanoseconds = now.nanosecondsSinceEpoch
        var probes: [ScheduledProbe] = []
        while let top = heap.top, top.due <= nowNanoseconds {
            _ = heap.popTop()
            let index = Int(top.index)
            guard entries[index].isLive, entries[index].generation == top.generation else { continue }
            let entry = entries[index]
            let step = entry.pendingIsFailingSlot ? entry.failingIntervalNanoseconds : entry.intervalNanoseconds
            // The latest slot at or before now, on the grid of the pending slot; earlier passed slots
            // are skipped, and counted.
            let passed = (nowNanoseconds - top.due) / step
            let slot = top.due + passed * step
            skippedSlots += Int(passed)
            // The next normal slot is pending while the probe runs. A faster re-probe is only
            // scheduled by the failure's outcome, after the probe ended, so a short failing interval
            // never lands on a probe still running.
            let next = Self.slot(atOrAfter: slot + 1, step: entry.intervalNanoseconds, offset: entry.offsetNanoseconds)
            entries[index].lastScheduled = slot
            entries[index].nextDue = next
            entries[index].pendingIsFailingSlot = false
            heap.push(.init(due: next, index: top.index, generation: entry.generation))
            probes.append(
                ScheduledProbe(
                    handle: SeriesHandle(index: top.index, incarnation: entry.incarnation),
                    series: schedules[index].series, provider: schedules[index].provider,
                    scheduledAt: Timestamp(nanosecondsSinceEpoch: slot),
                    latestStart: Timestamp(nanosecondsSinceEpoch: slot + step),
                    isFailingReprobe: entry.pendingIsFailingSlot, tag: schedules[index].tag))
        }
        slotsDue += probes.count
        return probes
    }

    /// The earliest pending slot, when the caller should next call ``due(at:)``; `nil` when empty.
    public mutating func nextWakeUp() -> Timestamp? {
        while let top = heap.top {
            let entry = entries[Int(top.index)]
            if entry.isLive && entry.generation == top.generation {
                return Timestamp(nanosecondsSinceEpoch: top.due)
            }
            _ = heap.popTop()
        }
        return nil
    }

    // MARK: - Outcomes

    /// Records how a probe of a series ended, switching it to or from faster re-probes.
    ///
    /// After a failure the series is next due at its first failing slot after `finishedAt` (or after
    /// its last slot, whichever is later); after the first success it returns to its normal spread
    /// slot. Outcomes of removed series are ignored.
    public mutating func recordOutcome(of handle: SeriesHandle, succeeded: Bool, at finishedAt: Timestamp) {
        let index = Int(handle.index)
        guard index < entries.count, entries[index].isLive, entries[index].incarnation == handle.incarnation else {
            return
        }
        let entry = entries[index]
        if succeeded && !entry.isFailing { return }
        entries[index].isFailing = !succeeded
        let last = entry.lastScheduled ?? finishedAt.nanosecondsSinceEpoch
        if succeeded {
            // Back to the spread slot: the first normal slot after the last probe.
            let next = Self.slot(atOrAfter: last + 1, step: entry.intervalNanoseconds, offset: entry.offsetNanoseconds)
            if next != entry.nextDue || entry.pendingIsFailingSlot {
                reschedule(Int32(index), to: next, onFailingGrid: false)
            }
        } else {
            let after = max(last, finishedAt.nanosecondsSinceEpoch) + 1
            let retry = Self.slot(
                atOrAfter: after, step: entry.failingIntervalNanoseconds, offset: entry.failingOffsetNanoseconds)
            // A normal slot that comes first stays: it is as good a re-probe.
            if retry < entry.nextDue { reschedule(Int32(index), to: retry, onFailingGrid: true) }
        }
    }

    // MARK: - Slot arithmetic

    private mutating func reschedule(_ index: Int32, to due: Int64, onFailingGrid: Bool) {
        entries[Int(index)].generation &+= 1
        entries[Int(index)].nextDue = due
        entries[Int(index)].pendingIsFailingSlot = onFailingGrid
        heap.push(.init(due: due, index: index, generation: entries[Int(index)].generation))
    }

    /// The first `k·step + offset` at or after `time` (floor division, so it holds before the epoch too).
    static func slot(atOrAfter time: Int64, step: Int64, offset: Int64) -> Int64 {
        let shifted = time - offset
        var k = shifted / step
        if shifted % step != 0 && shifted < 0 { k -= 1 }
        var slot = k * step + offset
        if slot < time { slot += step }
        return slot
    }
}

/// What a reload changed in a ``ProbeTimeline``.
public struct ReloadSummary: Sendable, Hashable {
    /// Series that were not scheduled before.
    public var added = 0
    /// Series no longer in the configuration.
    public var removed = 0
    /// Series whose provider or intervals changed (they keep their offset).
    public var changed = 0
    /// Series left as they were.
    public var unchanged = 0
    /// The handles of the removed series, so their waiting probes can be withdrawn.
    public var removedHandles: [SeriesHandle] = []

    /// Creates an empty summary.
    public init() {}
}
