import Foundation
import WatchCore

/// The accounting of docs/SLA.md as one pure function: slice states, quorum, maintenance,
/// incidents, flapping, availability, latency, objectives and data quality, from an
/// ``AccountingInput``. Reads nothing; the same input always gives the same result.
public struct SLAAccounting: Sendable {
    /// The rules.
    public var rules: AccountingRules
    /// Declared maintenance windows.
    public var maintenance: [MaintenanceWindow]
    /// Objectives to evaluate.
    public var objectives: [ServiceObjective]
    /// What figures are grouped by; with `.vantage`, each series is its own unit (no quorum).
    public var grouping: [GroupingDimension]

    /// Creates an accounting.
    public init(
        rules: AccountingRules = AccountingRules(), maintenance: [MaintenanceWindow] = [],
        objectives: [ServiceObjective] = [], grouping: [GroupingDimension] = [.provider]
    ) {
        self.rules = rules
        self.maintenance = maintenance
        self.objectives = objectives
        self.grouping = Array(Set(grouping)).sorted()
    }

    /// Accounts `input` over `period`.
    ///
    /// - Throws: ``SLAComputationError/unknownTimeZone(_:)`` for a maintenance window in an unknown
    ///   timezone.
    public func account(_ input: AccountingInput, period: ReportPeriod) throws(SLAComputationError) -> SLAResult {
        let grid = period.grid(sliceMillis: rules.sliceMillis)
        let unhealthy = input.health.mapValues { $0.unhealthySlices(in: grid) }
        let seriesStates = input.series.map { history -> [SliceState] in
            precondition(history.counts.grid == grid, "series \(history.descriptor.key) counted on another grid")
            return SeriesSlices.states(history.counts, rule: rules.slice, unhealthy: unhealthy[history.descriptor.key.vantage])
        }
        let perSeries = grouping.contains(.vantage)
        let periodEnd = Swift.min(grid.endMillis, period.to.millisecondsSinceEpoch)
        var pass = try UnitPass(
            units: makeUnits(input.series, seriesStates, perSeries: perSeries), accounting: self, grid: grid,
            periodEnd: periodEnd, seriesStates: seriesStates, series: input.series)
        let (units, incidents, episodes, plan) = (pass.units, pass.incidents, pass.episodes, pass.plan)
        // Objectives are always judged on the quorum of vantages, whatever the grouping shows.
        if perSeries {
            pass = try UnitPass(
                units: makeUnits(input.series, seriesStates, perSeries: false), accounting: self, grid: grid,
                periodEnd: periodEnd, seriesStates: seriesStates, series: input.series)
        }
        let evaluations = objectives.map { evaluate($0, pass.units, pass.incidents, input.series, grid, period) }
        let groups = groupFigures(units, incidents, input.series, grid)
        var order = Array(incidents.indices)
        order.sort { (incidents[$0].start, incidents[$0].id) < (incidents[$1].start, incidents[$1].id) }
        var quality = DataQualityAccounting.facts(input, seriesStates, unhealthy, grid, minimumGap: rules.gapReportMinimumSlices)
        quality.proberErrors = input.proberErrors
        quality.storeDamages = input.storeDamages
        return SLAResult(
            period: period, rules: rules, grouping: grouping, groups: groups, incidents: order.map { incidents[$0] },
            flappingEpisodes: episodes.sorted { ($0.start, $0.target.rawValue) < ($1.start, $1.target.rawValue) },
            maintenance: plan.log, objectives: evaluations, dataQuality: quality,
            vantages: DataQualityAccounting.vantages(input, seriesStates, unhealthy, grid))
    }

    // MARK: - Units

    private func makeUnits(_ series: [SeriesHistory], _ states: [[SliceState]], perSeries: Bool) -> [AccountingUnit] {
        struct UnitKey: Hashable, Comparable {
            var target: String, family: String, vantage: String
            static func < (l: UnitKey, r: UnitKey) -> Bool { (l.target, l.family, l.vantage) < (r.target, r.family, r.vantage) }
        }
        var members: [UnitKey: [Int]] = [:]
        for (index, history) in series.enumerated() {
            let key = history.descriptor.key
            members[UnitKey(target: key.target.rawValue, family: key.family.rawValue, vantage: perSeries ? key.vantage : ""),
                    default: []].append(index)
        }
        return members.keys.sorted().map { key in
            let indices = members[key]!.sorted { series[$0].descriptor.key.vantage < series[$1].descriptor.key.vantage }
            let first = series[indices[0]].descriptor
            let measured = perSeries ? states[indices[0]] : VantageQuorum.combine(indices.map { states[$0] }, rule: rules.quorum)
            return AccountingUnit(
                target: first.key.target, family: first.key.family, vantage: perSeries ? first.key.vantage : nil,
                provider: first.provider, service: first.service, region: first.region, members: indices,
                measured: measured)
        }
    }

    // MARK: - Incidents

    fileprivate func incident(
        _ span: IncidentSpan, of unit: AccountingUnit, _ seriesStates: [[SliceState]], _ series: [SeriesHistory],
        _ grid: SliceGrid, _ periodEnd: Int64
    ) -> Incident {
        let endSlice = span.endSlice ?? grid.count
        let slices = span.firstSlice..<endSlice
        let startMillis = grid.startMillis(ofSlice: span.firstSlice)
        let endMillis = span.endSlice.map { grid.startMillis(ofSlice: $0) }
        let affected = unit.members.filter { member in slices.contains { seriesStates[member][$0] == .down } }
            .map { series[$0].descriptor.key.vantage }
        let start = Timestamp(millisecondsSinceEpoch: startMillis)
        var id = "\(unit.target.rawValue)/\(unit.family.rawValue)"
        if let vantage = unit.vantage { id += "/\(vantage)" }
        id += "/" + Self.compactUTC(startMillis)
        return Incident(
            id: id, target: unit.target, family: unit.family, vantage: unit.vantage, provider: unit.provider,
            service: unit.service, region: unit.region, start: start,
            end: endMillis.map { Timestamp(millisecondsSinceEpoch: $0) },
            duration: .milliseconds((endMillis ?? periodEnd) - startMillis),
            downSlices: slices.filter { unit.accounted[$0] == .down }.count,
            affectedVantages: Array(Set(affected)).sorted(),
            series: unit.members.map { series[$0].descriptor.key }, dominantFailure: nil, dominantCode: nil,
            failureCounts: [:],
            flapping: unit.flapping.contains { $0.first < endSlice && $0.end > span.firstSlice },
            duringLateMaintenance: slices.contains { unit.lateMaintenance[$0] })
    }

    /// `yyyyMMddTHHmmZ` in UTC, for incident ids.
    static func compactUTC(_ millis: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute], from: Timestamp(millisecondsSinceEpoch: millis).date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(parts.year ?? 0)\(two(parts.month))\(two(parts.day))T\(two(parts.hour))\(two(parts.minute))Z"
    }

    // MARK: - Groups

    private func groupFigures(
        _ units: [AccountingUnit], _ incidents: [Incident], _ series: [SeriesHistory], _ grid: SliceGrid
    ) -> [GroupFigures] {
        var members: [GroupKey: [Int]] = [:]
        for (index, unit) in units.enumerated() {
            let key = GroupKey(fields: grouping.map { GroupKey.Field(dimension: $0, value: unit.value(of: $0)) })
            members[key, default: []].append(index)
        }
        return members.keys.sorted().map { key in
            let selected = members[key]!.map { units[$0] }
            var tally = ProbeTally()
            for unit in selected { for member in unit.members { tally.merge(series[member].tally) } }
            return GroupFigures(
                key: key, units: selected.count, availability: availability(selected, grid),
                reliability: reliability(selected, incidents, grid), latency: LatencyFigures(microseconds: tally.latency),
                phaseLatency: tally.phases.compactMapValues { LatencyFigures(microseconds: $0) }, probes: tally)
        }
    }

    func availability(_ units: [AccountingUnit], _ grid: SliceGrid) -> AvailabilityFigures {
        var slices = SliceTally()
        for unit in units { slices.add(unit.slices) }
        return AvailabilityFigures(slices: slices, sliceMillis: grid.sliceMillis)
    }

    func reliability(_ units: [AccountingUnit], _ incidents: [Incident], _ grid: SliceGrid) -> ReliabilityFigures {
        let selected = units.flatMap(\.incidents).map { incidents[$0] }
        let closed = selected.filter { !$0.isOpen }
        let upSlices = units.reduce(0) { $0 + $1.slices.adjustedUp }
        return ReliabilityFigures(
            incidents: selected.count, closedIncidents: closed.count,
            mttr: closed.isEmpty ? nil : closed.reduce(Duration.zero) { $0 + $1.duration } / closed.count,
            mtbf: selected.isEmpty ? nil : .milliseconds(Int64(upSlices) * grid.sliceMillis) / selected.count,
            longestOutage: selected.map(\.duration).max(),
            flappingEpisodes: units.reduce(0) { $0 + $1.flapping.count })
    }
}

/// Maintenance, tallies, flapping and incidents over a set of units.
private struct UnitPass {
    var units: [AccountingUnit]
    var plan: MaintenancePlan
    var incidents: [Incident] = []
    var episodes: [FlappingEpisode] = []

    init(
        units: [AccountingUnit], accounting: SLAAccounting, grid: SliceGrid, periodEnd: Int64,
        seriesStates: [[SliceState]], series: [SeriesHistory]
    ) throws(SLAComputationError) {
        self.units = units
        let rules = accounting.rules
        plan = try MaintenancePlan(windows: accounting.maintenance, grid: grid, leadTime: rules.maintenanceLeadTime)
        for index in self.units.indices {
            plan.apply(to: &self.units[index])
            let unit = self.units[index]
            self.units[index].slices = SliceTally(
                measured: unit.measured, accounted: unit.accounted, lateMaintenance: unit.lateMaintenance)
            self.units[index].flapping = FlappingDetector.episodes(in: unit.accounted, rule: rules.flapping)
            for span in self.units[index].flapping {
                episodes.append(FlappingEpisode(
                    target: unit.target, family: unit.family, vantage: unit.vantage,
                    start: Timestamp(millisecondsSinceEpoch: grid.startMillis(ofSlice: span.first)),
                    end: Timestamp(millisecondsSinceEpoch: Swift.min(grid.startMillis(ofSlice: span.end), periodEnd)),
                    peakChanges: span.peakChanges))
            }
            for span in IncidentDetector.incidents(in: unit.accounted, rule: rules.incident) {
                self.units[index].incidents.append(incidents.count)
                incidents.append(accounting.incident(span, of: self.units[index], seriesStates, series, grid, periodEnd))
            }
        }
    }
}
