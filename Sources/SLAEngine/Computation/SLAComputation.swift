import SeriesStore
import WatchCore

/// The entry point reports and the server call: reads one or more stores (one per vantage or data
/// directory) and runs the accounting of docs/SLA.md over a period.
///
/// Three passes over each store: the vantage-health series (from ``AccountingRules/healthLookback``
/// before the period, to know the health at its start); every target series in the period, into
/// slice counts and tallies; and, when incidents were found, their spans again for their failures.
public struct SLAComputation: Sendable {
    /// The stores.
    public var readers: [StoreReader]
    /// Maintenance windows and objectives come from it.
    public var configuration: Configuration
    /// The period.
    public var period: ReportPeriod
    /// What figures are grouped by.
    public var grouping: [GroupingDimension]
    /// The accounting rules.
    public var rules: AccountingRules
    /// Only these providers' series, when set (a provider sees only its own services).
    public var providers: Set<String>?
    /// What to do with damaged store files: `.skip` reads on and lists the damage in the
    /// data-quality facts; `.fail` throws.
    public var onCorruption: CorruptionPolicy

    /// Creates a computation.
    public init(
        readers: [StoreReader], configuration: Configuration = Configuration(), period: ReportPeriod,
        grouping: [GroupingDimension] = [.provider], rules: AccountingRules = AccountingRules(),
        providers: Set<String>? = nil, onCorruption: CorruptionPolicy = .skip
    ) {
        self.readers = readers
        self.configuration = configuration
        self.period = period
        self.grouping = grouping
        self.rules = rules
        self.providers = providers
        self.onCorruption = onCorruption
    }

    /// Reads the stores and accounts.
    ///
    /// - Throws: ``SLAComputationError`` for an unknown timezone, a store that cannot be read (or
    ///   is damaged, with `onCorruption: .fail`), or a series in two stores.
    public func run() throws(SLAComputationError) -> SLAResult {
        try checkDistinctSeries()
        let accounting = SLAAccounting(
            rules: rules, maintenance: configuration.maintenance,
            objectives: configuration.objectives.filter { providers?.contains($0.provider) ?? true }, grouping: grouping)
        let grid = period.grid(sliceMillis: rules.sliceMillis)
        var histories = StoreHistories(grid: grid)
        for pass in 0..<2 {
            for reader in readers {
                do {
                    if pass == 0 {
                        try histories.readHealth(reader, rules: rules, policy: onCorruption)
                    } else {
                        try histories.readTargets(reader, providers: providers, policy: onCorruption)
                    }
                } catch {
                    throw .store(path: reader.directory, detail: "\(error)")
                }
            }
        }
        let (input, leftOut) = histories.input(configuredTargets: Set(configuration.targets.map(\.id)))
        var result = try accounting.account(input, period: period)
        result.dataQuality.seriesLeftOut = leftOut
        guard !result.incidents.isEmpty else { return result }
        var failures: [FailedProbe] = []
        for reader in readers {
            do {
                failures += try histories.failures(in: reader, during: result.incidents, policy: onCorruption)
            } catch {
                throw .store(path: reader.directory, detail: "\(error)")
            }
        }
        IncidentAttribution.attribute(
            failures, to: &result.incidents, periodEndMillis: Swift.min(grid.endMillis, period.to.millisecondsSinceEpoch))
        return result
    }
}
