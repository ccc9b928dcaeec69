/// What figures are grouped by.
public enum FigureGrouping: String, Sendable, Hashable, CaseIterable {
    /// One row per target (its series over every vantage and IP family together).
    case target
    /// Per provider.
    case provider
    /// Per service.
    case service
    /// Per vantage.
    case vantage
    /// Per region.
    case region
    /// Per series (target, vantage, IP family).
    case series
}

/// How figures are cut in time.
public enum FigureBucketing: Sendable, Hashable {
    /// One figure for the whole range.
    case none
    /// Per hour (UTC hours; every time zone in use has whole-hour or half-hour offsets, see docs).
    case hour
    /// Per calendar day at a fixed UTC offset (seconds east of UTC).
    case day(utcOffsetSeconds: Int)

    /// The bucket key of an instant (ms).
    @inline(__always)
    func key(of millis: Int64) -> Int64 {
        switch self {
        case .none: 0
        case .hour: DigestLayout.floorDivide(millis, 3_600_000)
        case .day(let offset): DigestLayout.floorDivide(millis + Int64(offset) * 1_000, 86_400_000)
        }
    }

    /// The start of bucket `key` (ms), or `fromMillis` for the single bucket of `.none`.
    func startMillis(ofKey key: Int64, fromMillis: Int64) -> Int64 {
        switch self {
        case .none: fromMillis
        case .hour: key * 3_600_000
        case .day(let offset): key * 86_400_000 - Int64(offset) * 1_000
        }
    }

    /// Whether every UTC day lies within one bucket (so rollups' day histograms can answer).
    var nestsUTCDays: Bool {
        switch self {
        case .none: true
        case .hour: false
        case .day(let offset): offset % 86_400 == 0
        }
    }

    /// Whether every UTC hour lies within one bucket (so hourly rollups can answer).
    var nestsHours: Bool {
        switch self {
        case .none, .hour: true
        case .day(let offset): offset % 3_600 == 0
        }
    }
}

/// An ad-hoc figures query: availability, counts and latency percentiles of the series in a
/// store, grouped and bucketed, and optionally the incident list.
///
/// Availability is UP slices / known slices (UNKNOWN excluded) of each series with ``sliceRule``,
/// summed over the series of a group and bucket; this is the per-series figure, without the
/// multi-vantage quorum or maintenance windows of the accounting engine (docs/SLA.md). Latency
/// percentiles are over successful probes only. Control and vantage-health series are left out.
public struct FigureQuery: Sendable, Hashable {
    /// Start of the range (inclusive), ms; also the start of slice 0.
    public var fromMillis: Int64
    /// End of the range (exclusive), ms.
    public var toMillis: Int64
    /// Slice width, ms (default one minute).
    public var sliceMillis: Int64 = 60_000
    /// What rows are grouped by.
    public var grouping: FigureGrouping = .target
    /// How rows are cut in time.
    public var bucketing: FigureBucketing = .none
    /// Also a row per group over the whole range (bucket `nil`) when bucketed.
    public var includesTotals = false
    /// Only these targets (all when `nil`).
    public var targets: Set<String>?
    /// Only these providers (all when `nil`).
    public var providers: Set<String>?
    /// Whether to list incidents (per series, with ``incidentRule``).
    public var includesIncidents = false
    /// Whether to compute figure rows (off for an incident list alone: no latency is read).
    public var includesFigures = true
    /// When a slice is DOWN.
    public var sliceRule = SliceRule()
    /// When DOWN slices make an incident.
    public var incidentRule = IncidentRule()

    /// Creates a query over `[fromMillis, toMillis)`.
    public init(fromMillis: Int64, toMillis: Int64) {
        precondition(toMillis > fromMillis, "the range must not be empty")
        self.fromMillis = fromMillis
        self.toMillis = toMillis
    }

    /// The slices of the range.
    public var grid: SliceGrid { SliceGrid(fromMillis: fromMillis, toMillis: toMillis, sliceMillis: sliceMillis) }

    /// The layout raw digests are built in for this query.
    var digestLayout: DigestLayout {
        let (origin, width): (Int64, Int64) = switch bucketing {
        case .none: (fromMillis, (toMillis - fromMillis + sliceMillis) / sliceMillis * sliceMillis + sliceMillis)
        case .hour: (0, 3_600_000)
        case .day(let offset): (-Int64(offset) * 1_000, 86_400_000)
        }
        return DigestLayout(sliceOrigin: fromMillis, sliceMillis: sliceMillis, bucketOrigin: origin, bucketMillis: width,
                            fromMillis: fromMillis, toMillis: toMillis)
    }

    /// The kinds of rollup section the query reads: hour histograms only where day histograms
    /// cannot answer (hour buckets, a local day, or a range not on UTC midnights).
    var rollupSections: RollupSections {
        guard includesFigures else { return .counts }
        guard bucketing.nestsUTCDays else { return [.counts, .hours] }
        let onMidnights = DigestLayout.floorDivide(fromMillis, 86_400_000) * 86_400_000 == fromMillis
            && DigestLayout.floorDivide(toMillis, 86_400_000) * 86_400_000 == toMillis
        return onMidnights ? [.counts, .days] : .all
    }

    /// Whether a rollup digest (epoch minutes and hours) answers this query exactly for its segment:
    /// slices are epoch minutes, buckets are unions of hours, and every hour of the segment lies
    /// wholly inside or outside the range (or the whole segment lies inside it).
    func rollupAnswers(_ digest: SegmentDigest) -> Bool {
        guard sliceMillis == 60_000, fromMillis % 60_000 == 0, toMillis % 60_000 == 0, bucketing.nestsHours else { return false }
        if fromMillis % 3_600_000 == 0, toMillis % 3_600_000 == 0 { return true }
        guard let range = digest.startRange else { return true }
        return range.lowerBound >= fromMillis && range.upperBound < toMillis
    }
}
