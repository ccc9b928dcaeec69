import Foundation
import SeriesStore
import WatchCore

/// The calendar step of a breakdown: local hours or local days in the period's timezone.
public enum BreakdownUnit: String, Sendable, Hashable, CaseIterable {
    /// Local clock hours (a day with a daylight-saving change has 23 or 25 of them).
    case hour
    /// Local days, midnight to midnight.
    case day
}

/// One step of a breakdown: the figures of its groups over that hour or day alone.
public struct BreakdownBucket: Sendable {
    /// The hour or day, clipped to the computation's period.
    public var period: ReportPeriod
    /// Figures per group over the bucket, as ``SLAResult/groups`` (incidents and objectives are
    /// those of the whole period, in the full result).
    public var groups: [GroupFigures]
}

/// Availability and latency per hour or per day: what charts over time draw.
public struct SLABreakdown: Sendable {
    /// The step.
    public var unit: BreakdownUnit
    /// The buckets, in time order, covering the period without overlap.
    public var buckets: [BreakdownBucket]
}

extension SLAComputation {
    /// The same accounting run over each local hour or day of the period (the first and last clipped
    /// to it).
    ///
    /// Slice states do not depend on neighbouring slices, so the buckets' slice tallies add up exactly
    /// to the whole period's; to keep that true for vantage health, each bucket reads health verdicts
    /// from as far back as the whole computation does. Incidents are not attributed (their failures
    /// are not read again): the register belongs to the whole period.
    ///
    /// - Throws: ``SLAComputationError`` as ``run()`` does.
    public func breakdown(by unit: BreakdownUnit) throws(SLAComputationError) -> SLABreakdown {
        try checkDistinctSeries()
        let calendar = try CalendarPeriods.calendar(period.timeZone)
        var buckets: [BreakdownBucket] = []
        var start = period.from
        while start < period.to {
            let interval = calendar.dateInterval(of: unit == .day ? .day : .hour, for: start.date)
            var end = interval.map { Timestamp(date: $0.end) } ?? period.to
            if end <= start || end > period.to { end = period.to }
            let bucketPeriod = ReportPeriod(from: start, to: end, timeZone: period.timeZone, calendarUnit: nil)
            var bucketRules = rules
            bucketRules.healthLookback = rules.healthLookback + period.from.duration(to: start)
            buckets.append(BreakdownBucket(period: bucketPeriod, groups: try accountedGroups(over: bucketPeriod, rules: bucketRules)))
            start = end
        }
        return SLABreakdown(unit: unit, buckets: buckets)
    }

    /// ``run()`` without objectives and without the incidents' failure pass.
    private func accountedGroups(over bucket: ReportPeriod, rules bucketRules: AccountingRules) throws(SLAComputationError)
        -> [GroupFigures]
    {
        let accounting = SLAAccounting(rules: bucketRules, maintenance: configuration.maintenance, objectives: [], grouping: grouping)
        var histories = StoreHistories(grid: bucket.grid(sliceMillis: bucketRules.sliceMillis))
        for pass in 0..<2 {
            for reader in readers {
                do {
                    if pass == 0 {
                        try histories.readHealth(reader, rules: bucketRules, policy: onCorruption)
                    } else {
                        try histories.readTargets(reader, providers: providers, policy: onCorruption)
                    }
                } catch {
                    throw .store(path: reader.directory, detail: "\(error)")
                }
            }
        }
        let (input, _) = histories.input(configuredTargets: Set(configuration.targets.map(\.id)))
        return try accounting.account(input, period: bucket).groups
    }
}
