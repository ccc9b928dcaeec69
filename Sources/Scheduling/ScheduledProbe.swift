import WatchCore

/// Names one series inside a ``ProbeTimeline``; cheap to hash, never reused for another series.
public struct SeriesHandle: Sendable, Hashable {
    /// The slot of the series in the timeline's storage.
    let index: Int32
    /// Distinguishes successive series stored in the same slot after a removal.
    let incarnation: UInt32
}

/// One probe whose slot has come: which series, when it was meant to start and how late it may start.
public struct ScheduledProbe: Sendable, Hashable {
    /// The series in the timeline that produced the probe.
    public var handle: SeriesHandle
    /// The series to probe.
    public var series: SeriesKey
    /// The provider the probe counts against.
    public var provider: String
    /// The slot: `k·interval + offset` on the epoch (or on the failing interval while failing). Every
    /// stored result carries it, see ``Target/requests(scheduledAt:)``.
    public var scheduledAt: Timestamp
    /// The last instant the probe may start; after it the probe is missed and the next slot taken.
    public var latestStart: Timestamp
    /// Whether the slot is a faster re-probe because the series' last result failed.
    public var isFailingReprobe: Bool
    /// The series' ``SeriesSchedule/tag``.
    public var tag: UInt32

    /// Creates a scheduled probe; ``ProbeTimeline/due(at:)`` makes them, with a handle of its own.
    public init(
        handle: SeriesHandle, series: SeriesKey, provider: String, scheduledAt: Timestamp, latestStart: Timestamp,
        isFailingReprobe: Bool = false, tag: UInt32 = 0
    ) {
        self.tag = tag
        self.handle = handle
        self.series = series
        self.provider = provider
        self.scheduledAt = scheduledAt
        self.latestStart = latestStart
        self.isFailingReprobe = isFailingReprobe
    }
}
