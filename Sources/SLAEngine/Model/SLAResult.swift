import WatchCore

/// Everything one SLA computation found: figures per group, the incident register, the maintenance
/// log, objective evaluations, data-quality facts and the vantage inventory. A value: reports and
/// the server render it, nothing in it refers back to the store.
public struct SLAResult: Sendable {
    /// The period computed over.
    public var period: ReportPeriod
    /// The rules applied.
    public var rules: AccountingRules
    /// The dimensions figures are grouped by (empty: one group of everything).
    public var grouping: [GroupingDimension]
    /// Figures per group, in key order.
    public var groups: [GroupFigures]
    /// Every incident, by start then id.
    public var incidents: [Incident]
    /// Every flapping episode, by start.
    public var flappingEpisodes: [FlappingEpisode]
    /// Every maintenance occurrence overlapping the period, by start.
    public var maintenance: [MaintenanceLogEntry]
    /// Every configured objective, evaluated over the period.
    public var objectives: [ObjectiveEvaluation]
    /// Gaps, unhealthy time, store damage.
    public var dataQuality: DataQuality
    /// The vantages whose series were read, by id.
    public var vantages: [VantageFigures]
}

/// How many slices were in each state, in unit-slices (one target × family, or one series when
/// grouped by vantage, for one slice).
public struct SliceTally: Sendable, Hashable {
    /// All unit-slices: units × slices of the period.
    public var total = 0
    /// Measured UP (maintenance ignored).
    public var up = 0
    /// Measured DOWN (maintenance ignored).
    public var down = 0
    /// UNKNOWN: no probe, or no healthy vantage reporting.
    public var unknown = 0
    /// Inside an excusing maintenance occurrence (declared in time), whatever was measured.
    public var maintenance = 0
    /// Measured UP inside an excusing maintenance occurrence.
    public var upInMaintenance = 0
    /// Measured DOWN inside an excusing maintenance occurrence (downtime excused).
    public var downInMaintenance = 0
    /// Measured DOWN inside a late maintenance occurrence (downtime counted).
    public var downInLateMaintenance = 0

    /// Creates an empty tally.
    public init() {}

    /// UP slices outside excusing maintenance: the numerator of the adjusted availability.
    public var adjustedUp: Int { up - upInMaintenance }
    /// DOWN slices outside excusing maintenance.
    public var adjustedDown: Int { down - downInMaintenance }

    /// Adds another tally's counts.
    public mutating func add(_ other: SliceTally) {
        total += other.total
        up += other.up
        down += other.down
        unknown += other.unknown
        maintenance += other.maintenance
        upInMaintenance += other.upInMaintenance
        downInMaintenance += other.downInMaintenance
        downInLateMaintenance += other.downInLateMaintenance
    }
}

/// Availability and the time behind it.
public struct AvailabilityFigures: Sendable, Hashable {
    /// The slice counts the figures come from.
    public var slices: SliceTally
    /// `up / (up + down)`, maintenance ignored; `nil` without a known slice.
    public var raw: Double?
    /// `(up − upInMaintenance) / (up + down − upInMaintenance − downInMaintenance)`: excused
    /// maintenance left out of numerator and denominator; `nil` without such a slice.
    public var adjusted: Double?
    /// `(up + down) / total`: the share of unit-slices with a measured state.
    public var coverage: Double
    /// Measured DOWN time, maintenance ignored.
    public var downtimeRaw: Duration
    /// DOWN time outside excusing maintenance.
    public var downtime: Duration
    /// Time inside excusing maintenance.
    public var maintenanceTime: Duration
    /// UNKNOWN time.
    public var unknownTime: Duration

    /// The figures of `slices` with slices `sliceMillis` wide.
    public init(slices: SliceTally, sliceMillis: Int64) {
        self.slices = slices
        let known = slices.up + slices.down
        raw = known > 0 ? Double(slices.up) / Double(known) : nil
        let adjustedKnown = slices.adjustedUp + slices.adjustedDown
        adjusted = adjustedKnown > 0 ? Double(slices.adjustedUp) / Double(adjustedKnown) : nil
        coverage = slices.total > 0 ? Double(known) / Double(slices.total) : 0
        func time(_ count: Int) -> Duration { .milliseconds(Int64(count) * sliceMillis) }
        downtimeRaw = time(slices.down)
        downtime = time(slices.adjustedDown)
        maintenanceTime = time(slices.maintenance)
        unknownTime = time(slices.unknown)
    }
}

/// Incident-based reliability figures.
public struct ReliabilityFigures: Sendable, Hashable {
    /// Incidents that started in the period.
    public var incidents: Int
    /// Those that also ended in it.
    public var closedIncidents: Int
    /// Mean time to recovery: the mean duration (first DOWN slice to the first slice of the closing
    /// UP run) of the closed incidents; `nil` when none closed.
    public var mttr: Duration?
    /// Mean time between failures: UP time outside excusing maintenance divided by the number of
    /// incidents; `nil` without an incident.
    public var mtbf: Duration?
    /// The longest incident (an open one counted to the end of the period); `nil` without one.
    public var longestOutage: Duration?
    /// Flapping episodes.
    public var flappingEpisodes: Int
}

/// Latency percentiles of successful probes, in milliseconds, from a sketch whose quantiles are
/// within 1 % of the exact value of the same rank; `mean`, `max` and `count` are exact.
public struct LatencyFigures: Sendable, Hashable {
    /// Successful probes measured.
    public var count: UInt64
    /// Exact mean.
    public var mean: Double
    /// Median.
    public var p50: Double
    /// 95th percentile.
    public var p95: Double
    /// 99th percentile.
    public var p99: Double
    /// Exact maximum.
    public var max: Double

    /// The figures of a sketch of microsecond values; `nil` when it is empty.
    public init?(microseconds sketch: LatencySketch) {
        guard !sketch.isEmpty, let p50 = sketch.quantile(0.5), let p95 = sketch.quantile(0.95),
              let p99 = sketch.quantile(0.99)
        else { return nil }
        count = sketch.count
        mean = sketch.sum / Double(sketch.count) / 1_000
        self.p50 = p50 / 1_000
        self.p95 = p95 / 1_000
        self.p99 = p99 / 1_000
        max = sketch.max / 1_000
    }
}

/// The figures of one group.
public struct GroupFigures: Sendable {
    /// The group.
    public var key: GroupKey
    /// Units in the group: targets × families (or series, when grouped by vantage).
    public var units: Int
    /// Availability.
    public var availability: AvailabilityFigures
    /// Incidents, MTTR, MTBF.
    public var reliability: ReliabilityFigures
    /// Total latency of successful probes; `nil` without one.
    public var latency: LatencyFigures?
    /// Latency of each phase measured.
    public var phaseLatency: [Phase: LatencyFigures]
    /// The raw measurements (counts, failure breakdowns, sketches).
    public var probes: ProbeTally
}

/// An objective's verdict.
public enum ObjectiveVerdict: String, Sendable, Hashable {
    /// Achieved at least the objective, with enough coverage.
    case pass = "PASS"
    /// Achieved less than the objective, with enough coverage.
    case fail = "FAIL"
    /// Coverage below the objective's minimum (or nothing measured): no verdict.
    case insufficientData = "INSUFFICIENT DATA"
}

/// One objective evaluated over the computation's period.
public struct ObjectiveEvaluation: Sendable {
    /// The objective.
    public var objective: ServiceObjective
    /// Units (targets × families) it covers.
    public var units: Int
    /// Availability of those units.
    public var availability: AvailabilityFigures
    /// Incidents, MTTR, MTBF, longest outage.
    public var reliability: ReliabilityFigures
    /// Total latency of the successful probes of those units; `nil` without one.
    public var latency: LatencyFigures?
    /// The verdict.
    public var verdict: ObjectiveVerdict
    /// The error budget: `(1 − objective) × (adjusted UP + adjusted DOWN unit-slices) × slice width`,
    /// rounded to the millisecond.
    public var budget: Duration
    /// Downtime spent from it: adjusted DOWN unit-slices × slice width.
    public var spent: Duration
    /// `budget − spent`; negative when overspent.
    public var left: Duration
    /// `spent / budget`; `nil` when the budget is zero.
    public var spentShare: Double?
    /// Whether the period is exactly one calendar period of the objective (its unit, in its
    /// timezone); when not, the budget is for the period computed, not the objective's.
    public var periodAligned: Bool
}

/// One occurrence of a maintenance window that overlaps the period.
public struct MaintenanceLogEntry: Sendable, Hashable {
    /// The window's id.
    public var windowID: String
    /// Who declared it.
    public var declaredBy: String?
    /// Why.
    public var reason: String?
    /// When it was declared.
    public var declaredAt: Timestamp
    /// The occurrence's start.
    public var start: Timestamp
    /// The occurrence's end.
    public var end: Timestamp
    /// `start − declaredAt`.
    public var leadTime: Duration
    /// Declared less than the lead time ahead: excuses nothing, its downtime counts.
    public var late: Bool
    /// Units (target × family, or series) in its scope.
    public var units: Int
    /// Unit-slices fully inside the occurrence.
    public var slices: Int
    /// Measured DOWN unit-slices inside it (excused when on time, counted when late).
    public var downSlices: Int
}

/// A run of slices of one series without any probe while its vantage was healthy.
public struct SeriesGap: Sendable, Hashable {
    /// The series.
    public var series: SeriesKey
    /// The start of the first empty slice.
    public var start: Timestamp
    /// The end of the last empty slice.
    public var end: Timestamp
    /// Empty slices.
    public var slices: Int

    /// Creates a gap.
    public init(series: SeriesKey, start: Timestamp, end: Timestamp, slices: Int) {
        self.series = series
        self.start = start
        self.end = end
        self.slices = slices
    }
}

/// A run of slices in which a vantage was unhealthy (its results UNKNOWN).
public struct UnhealthyPeriod: Sendable, Hashable {
    /// The vantage.
    public var vantage: String
    /// The start of the first unhealthy slice.
    public var start: Timestamp
    /// The end of the last unhealthy slice.
    public var end: Timestamp

    /// Creates a period.
    public init(vantage: String, start: Timestamp, end: Timestamp) {
        self.vantage = vantage
        self.start = start
        self.end = end
    }
}

/// What limits the figures: missing data, unhealthy vantages, damaged files.
public struct DataQuality: Sendable, Hashable {
    /// Gaps of at least ``AccountingRules/gapReportMinimumSlices`` slices.
    public var gaps: [SeriesGap] = []
    /// Unhealthy runs per vantage.
    public var unhealthyPeriods: [UnhealthyPeriod] = []
    /// Results left out as the prober's own fault (`prober_error`): neither up nor down.
    public var proberErrors = 0
    /// Damage the store reader stepped over, one line each.
    public var storeDamages: [String] = []
    /// Series registered in a store with no result in the period that are not targets of the
    /// configuration (e.g. retired targets): left out of every figure.
    public var seriesLeftOut: [SeriesKey] = []

    /// Creates empty facts.
    public init() {}
}

/// One vantage, as seen in the data.
public struct VantageFigures: Sendable, Hashable {
    /// The vantage id.
    public var id: String
    /// Target series from it.
    public var series: Int
    /// Probes counted (prober faults left out).
    public var probes: Int
    /// Share of its series-slices with a measured state.
    public var coverage: Double
    /// Slices in which it was unhealthy.
    public var unhealthySlices: Int
    /// Time it was unhealthy.
    public var unhealthyTime: Duration
    /// Series-slices without any probe while it was healthy.
    public var emptySeriesSlices: Int
    /// Whether it stored health verdicts (without them it is taken as healthy throughout).
    public var reportsHealth: Bool
}
