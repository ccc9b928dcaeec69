import WatchCore

/// One outage of one target over one IP family (or, when figures are grouped by vantage, of one
/// series), found by the K/M incident rule.
public struct Incident: Sendable, Hashable {
    /// A stable id made of what identifies the incident: `target/family[/vantage]/start`, the start in
    /// UTC as `yyyyMMddTHHmmZ`, e.g. `vnpt-dns-hn-1/v4/20270205T0114Z`.
    public var id: String
    /// The target.
    public var target: TargetID
    /// The IP family.
    public var family: IPFamily
    /// The vantage, when the incident is of one series (grouping by vantage); `nil` when it is the
    /// quorum of every vantage's view.
    public var vantage: String?
    /// The provider running the target.
    public var provider: String
    /// The service.
    public var service: String
    /// The target's region (empty when none).
    public var region: String
    /// The start of its first DOWN slice.
    public var start: Timestamp
    /// The start of the first UP slice of the run that closed it; `nil` while still open at the end
    /// of the period.
    public var end: Timestamp?
    /// From `start` to `end`, or to the end of the period while open.
    public var duration: Duration
    /// DOWN slices between start and end (UNKNOWN slices inside the span are not counted).
    public var downSlices: Int
    /// The vantages that saw at least one slice of the span DOWN, sorted.
    public var affectedVantages: [String]
    /// The series whose results make up the incident (for attributing its failures).
    public var series: [SeriesKey]
    /// The most frequent failure reason among the failed probes in the span (healthy vantages
    /// only); `nil` until attributed or when none was found.
    public var dominantFailure: String?
    /// The most frequent DNS rcode or HTTP status among the probes that failed with
    /// ``dominantFailure``, when they carried one.
    public var dominantCode: Int32?
    /// Failed probes in the span by failure reason.
    public var failureCounts: [String: Int]
    /// Whether the incident overlaps a flapping episode of its target.
    public var flapping: Bool
    /// Whether it overlaps a maintenance window that was declared late (its downtime counted).
    public var duringLateMaintenance: Bool

    /// Whether the incident was still open at the end of the period.
    public var isOpen: Bool { end == nil }
}

/// Slices where a target's state changed often enough to be flapping (see ``FlappingRule``).
public struct FlappingEpisode: Sendable, Hashable {
    /// The target.
    public var target: TargetID
    /// The IP family.
    public var family: IPFamily
    /// The vantage, for a per-series episode.
    public var vantage: String?
    /// The start of the first slice of the first flapping window.
    public var start: Timestamp
    /// The end of the last slice of the last flapping window.
    public var end: Timestamp
    /// The most state changes seen in one window of the episode.
    public var peakChanges: Int
}
