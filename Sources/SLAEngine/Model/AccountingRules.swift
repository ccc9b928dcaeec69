/// Every parameter of the accounting, in one value; the defaults are those of docs/SLA.md.
public struct AccountingRules: Sendable, Hashable {
    /// The width of a slice, ms (default one minute).
    public var sliceMillis: Int64
    /// When a slice of one series is DOWN.
    public var slice: SliceRule
    /// How vantages combine.
    public var quorum: QuorumRule
    /// When DOWN slices make an incident, and when it ends.
    public var incident: IncidentRule
    /// When slice states are flapping.
    public var flapping: FlappingRule
    /// How long before a maintenance occurrence starts it must have been declared to excuse
    /// downtime (default 24 h).
    public var maintenanceLeadTime: Duration
    /// The shortest run of slices without a probe (while the vantage was healthy) listed as a gap in
    /// the data-quality facts (default 5). Shorter runs are still UNKNOWN; they are only not listed.
    public var gapReportMinimumSlices: Int
    /// How far before the period a vantage-health verdict is looked for, to know the health at the
    /// period's start (default 24 h).
    public var healthLookback: Duration

    /// Creates rules.
    public init(
        sliceMillis: Int64 = 60_000, slice: SliceRule = SliceRule(), quorum: QuorumRule = QuorumRule(),
        incident: IncidentRule = IncidentRule(), flapping: FlappingRule = FlappingRule(),
        maintenanceLeadTime: Duration = .seconds(86_400), gapReportMinimumSlices: Int = 5,
        healthLookback: Duration = .seconds(86_400)
    ) {
        precondition(sliceMillis > 0 && gapReportMinimumSlices >= 1, "a positive slice width and gap length")
        self.sliceMillis = sliceMillis
        self.slice = slice
        self.quorum = quorum
        self.incident = incident
        self.flapping = flapping
        self.maintenanceLeadTime = maintenanceLeadTime
        self.gapReportMinimumSlices = gapReportMinimumSlices
        self.healthLookback = healthLookback
    }

    /// The width of a slice as a duration.
    public var sliceDuration: Duration { .milliseconds(sliceMillis) }
}
