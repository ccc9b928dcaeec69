/// What the pure accounting works on: every series' slice counts and measurements over the
/// period's grid, and each vantage's health. Built by ``SLAComputation`` from stores, or by hand in
/// tests; nothing in it reads a file.
public struct AccountingInput: Sendable {
    /// The series, each with counts on the period's grid.
    public var series: [SeriesHistory]
    /// Health verdicts by vantage id; a vantage without an entry is healthy throughout.
    public var health: [String: VantageHealthTimeline]
    /// Results left out as the prober's own fault, for the data-quality facts.
    public var proberErrors: Int
    /// Store damage stepped over while reading, for the data-quality facts.
    public var storeDamages: [String]

    /// Creates an input.
    public init(
        series: [SeriesHistory], health: [String: VantageHealthTimeline] = [:], proberErrors: Int = 0,
        storeDamages: [String] = []
    ) {
        self.series = series
        self.health = health
        self.proberErrors = proberErrors
        self.storeDamages = storeDamages
    }
}
