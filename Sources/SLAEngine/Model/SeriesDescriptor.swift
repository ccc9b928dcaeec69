import WatchCore

/// One series and the facts accounting groups it by.
public struct SeriesDescriptor: Sendable, Hashable {
    /// The series' identity (target, vantage, IP family).
    public var key: SeriesKey
    /// The provider running the target.
    public var provider: String
    /// The service the target is part of.
    public var service: String
    /// The region the target serves (empty when none).
    public var region: String
    /// The kind of probe, when known.
    public var kind: ProbeKind?

    /// Creates a descriptor.
    public init(key: SeriesKey, provider: String, service: String, region: String = "", kind: ProbeKind? = nil) {
        self.key = key
        self.provider = provider
        self.service = service
        self.region = region
        self.kind = kind
    }
}

/// What accounting needs of one series: its slice counts and its measurements.
public struct SeriesHistory: Sendable {
    /// Which series.
    public var descriptor: SeriesDescriptor
    /// Probes and failures per slice (prober faults left out, see docs/SLA.md).
    public var counts: SliceCounts
    /// Latencies and failure breakdowns of the probes made while the vantage was healthy.
    public var tally: ProbeTally

    /// Creates a history.
    public init(descriptor: SeriesDescriptor, counts: SliceCounts, tally: ProbeTally = ProbeTally()) {
        self.descriptor = descriptor
        self.counts = counts
        self.tally = tally
    }
}
