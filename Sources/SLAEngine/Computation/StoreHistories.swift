import SeriesStore
import WatchCore

/// Builds an ``AccountingInput`` from stores: series histories by key (the same key in two stores
/// adds up) and vantage health.
struct StoreHistories {
    let grid: SliceGrid
    private var histories: [SeriesKey: SeriesHistory] = [:]
    private var verdicts: [String: [VantageHealthTimeline.Verdict]] = [:]
    private var unhealthy: [String: [Bool]] = [:]
    private var proberErrors = 0
    private var damages: [String] = []

    init(grid: SliceGrid) {
        self.grid = grid
    }

    /// Series with at least one result in the period (prober faults included).
    private var measured: Set<SeriesKey> = []

    /// The input: every series with a result in the period, and every series of a configured
    /// target (a configured target without any result is a gap to show, not a series to drop). The
    /// others (e.g. targets retired long ago, still in the series index) are left out and named.
    func input(configuredTargets: Set<TargetID>) -> (input: AccountingInput, leftOut: [SeriesKey]) {
        var kept: [SeriesHistory] = []
        var leftOut: [SeriesKey] = []
        for key in histories.keys.sorted() {
            if measured.contains(key) || configuredTargets.contains(key.target) {
                kept.append(histories[key]!)
            } else {
                leftOut.append(key)
            }
        }
        let input = AccountingInput(
            series: kept, health: verdicts.mapValues { VantageHealthTimeline(verdicts: $0) }, proberErrors: proberErrors,
            storeDamages: damages)
        return (input, leftOut)
    }

    /// Reads the vantage-health verdicts of `reader`; every store's health is read before any
    /// target, since a vantage's verdicts may sit in another store than its results.
    mutating func readHealth(_ reader: StoreReader, rules: AccountingRules, policy: CorruptionPolicy) throws {
        var healthSeries: [SeriesID: String] = [:]
        for (id, entry) in reader.series where SeriesRole(labels: entry.metadata.labels) == .vantageHealth {
            healthSeries[id] = entry.key.vantage
        }
        let lookback = rules.healthLookback.components.seconds * 1_000
        if !healthSeries.isEmpty {
            let report = try reader.scan(
                fromMillis: grid.startMillis - lookback, toMillis: grid.endMillis, series: Set(healthSeries.keys),
                onCorruption: policy
            ) { result in
                verdicts[healthSeries[result.series]!, default: []].append(
                    VantageHealthTimeline.Verdict(startMillis: result.startMillis, healthy: result.success))
            }
            damages += report.damages.map(\.description)
        }
        unhealthy = verdicts.mapValues { VantageHealthTimeline(verdicts: $0).unhealthySlices(in: grid) }
    }

    /// Reads the target series of `reader` (of `providers` only, when set) into slice counts and
    /// tallies; results in slices where their vantage was unhealthy are counted but not tallied.
    mutating func readTargets(_ reader: StoreReader, providers: Set<String>?, policy: CorruptionPolicy) throws {
        var targetSeries: [SeriesID: SeriesDescriptor] = [:]
        for (id, entry) in reader.series where SeriesRole(labels: entry.metadata.labels) == .target {
            guard providers?.contains(entry.metadata.provider) ?? true else { continue }
            targetSeries[id] = SeriesDescriptor(
                key: entry.key, provider: entry.metadata.provider, service: entry.metadata.service,
                region: entry.metadata.region, kind: entry.metadata.kind)
        }
        guard !targetSeries.isEmpty else { return }
        // Series ids are small and dense: an array indexed by id is the cheapest lookup per result.
        let ids = targetSeries.keys.sorted()
        var slotOfSeries = [Int](repeating: -1, count: Int(ids.last!) + 1)
        var local: [SeriesHistory] = []
        var masks: [[Bool]?] = []
        for (slot, id) in ids.enumerated() {
            slotOfSeries[Int(id)] = slot
            let descriptor = targetSeries[id]!
            local.append(SeriesHistory(descriptor: descriptor, counts: SliceCounts(grid: grid)))
            masks.append(unhealthy[descriptor.key.vantage])
        }
        let grid = grid
        var errors = 0
        var seen = [Bool](repeating: false, count: ids.count)
        let report = try reader.scan(
            fromMillis: grid.startMillis, toMillis: grid.endMillis, series: Set(ids), onCorruption: policy
        ) { result in
            let slot = slotOfSeries[Int(result.series)]
            seen[slot] = true
            // A prober fault says nothing about the target: neither up nor down.
            if result.failure == .proberError {
                errors += 1
                return
            }
            local[slot].counts.add(startMillis: result.startMillis, success: result.success)
            if let mask = masks[slot], let slice = grid.slice(containing: result.startMillis), mask[slice] { return }
            local[slot].tally.add(result, kind: local[slot].descriptor.kind)
        }
        proberErrors += errors
        damages += report.damages.map(\.description)
        for (slot, history) in local.enumerated() where seen[slot] { measured.insert(history.descriptor.key) }
        for history in local {
            let key = history.descriptor.key
            if var existing = histories[key] {
                existing.counts.merge(history.counts)
                existing.tally.merge(history.tally)
                histories[key] = existing
            } else {
                histories[key] = history
            }
        }
    }

    /// The failed probes (healthy vantages, no prober faults) of the incidents' series in their spans.
    func failures(in reader: StoreReader, during incidents: [Incident], policy: CorruptionPolicy) throws -> [FailedProbe] {
        let wanted = Set(incidents.flatMap(\.series))
        let ids = reader.series.filter { wanted.contains($0.value.key) }
        guard !ids.isEmpty else { return [] }
        let from = incidents.map(\.start.millisecondsSinceEpoch).min()!
        let to = incidents.map { $0.end?.millisecondsSinceEpoch ?? grid.endMillis }.max()!
        var failures: [FailedProbe] = []
        try reader.scan(fromMillis: from, toMillis: to, series: Set(ids.keys), onCorruption: policy) { result in
            guard !result.success, result.failure != .proberError, let entry = ids[result.series] else { return }
            if let mask = unhealthy[entry.key.vantage], let slice = grid.slice(containing: result.startMillis), mask[slice] {
                return
            }
            failures.append(FailedProbe(result, series: entry.key))
        }
        return failures
    }
}
