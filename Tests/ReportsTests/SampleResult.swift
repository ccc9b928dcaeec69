@testable import SLAEngine
import WatchCore

/// A hand-built result of two days over two providers, one of them named like an injection attempt,
/// with strings holding commas, quotes and line breaks where a configuration can put them.
enum SampleResult {
    static let hostileProvider = "<script>alert(1)</script>"
    static let awkwardService = "dns, \"primary\""
    static let awkwardReason = "router swap, \"core\"\nsecond line"

    /// 2027-02-01T00:00+07:00.
    static let fromMillis: Int64 = 1_801_414_800_000
    static let dayMillis: Int64 = 86_400_000

    static func at(_ millis: Int64) -> Timestamp { Timestamp(nanosecondsSinceEpoch: millis * 1_000_000) }

    static func period(days: Int64 = 2) -> ReportPeriod {
        ReportPeriod(from: at(fromMillis), to: at(fromMillis + days * dayMillis), timeZone: "Asia/Ho_Chi_Minh",
                     calendarUnit: nil)
    }

    static func tally(up: Int, down: Int, unknown: Int, total: Int) -> SliceTally {
        var tally = SliceTally()
        tally.total = total
        tally.up = up
        tally.down = down
        tally.unknown = unknown
        return tally
    }

    static func group(provider: String, service: String, up: Int, down: Int, latencies: [Double]) -> GroupFigures {
        var probes = ProbeTally()
        for latency in latencies { probes.latency.add(latency) }
        probes.probes = latencies.count + down
        probes.failures = down
        probes.failureReasons = down > 0 ? ["dns_timeout": down] : [:]
        let slices = tally(up: up, down: down, unknown: 2_880 - up - down, total: 2_880)
        return GroupFigures(
            key: GroupKey(fields: [.init(dimension: .provider, value: provider), .init(dimension: .service, value: service)]),
            units: 1, availability: AvailabilityFigures(slices: slices, sliceMillis: 60_000),
            reliability: ReliabilityFigures(incidents: down > 0 ? 1 : 0, closedIncidents: down > 0 ? 1 : 0,
                                            mttr: down > 0 ? .seconds(600) : nil, mtbf: nil, longestOutage: nil,
                                            flappingEpisodes: 0),
            latency: LatencyFigures(microseconds: probes.latency), phaseLatency: [:], probes: probes)
    }

    static func incident(target: String, provider: String, service: String, startMinute: Int64, minutes: Int64?) -> Incident {
        let start = at(fromMillis + startMinute * 60_000)
        return Incident(
            id: "\(target)/v4/x\(startMinute)", target: TargetID(target), family: .v4, vantage: nil, provider: provider,
            service: service, region: "hanoi, north", start: start,
            end: minutes.map { at(fromMillis + (startMinute + $0) * 60_000) },
            duration: .seconds((minutes ?? 100) * 60), downSlices: Int(minutes ?? 100),
            affectedVantages: ["hanoi-1", "hcm-1"], series: [], dominantFailure: "dns_timeout", dominantCode: nil,
            failureCounts: ["dns_timeout": 12, "dns_servfail": 1], flapping: false, duringLateMaintenance: false)
    }

    static func result() -> SLAResult {
        let groups = [
            group(provider: hostileProvider, service: awkwardService, up: 2_860, down: 10, latencies: [10_000, 20_000, 30_000]),
            group(provider: "vnpt", service: "portal", up: 2_870, down: 0, latencies: [40_000, 80_000]),
        ]
        let objective = ServiceObjective(id: "vnpt-portal", provider: "vnpt", service: "portal", availability: 0.995, period: .day)
        let evaluation = ObjectiveEvaluation(
            objective: objective, units: 1, availability: groups[1].availability, reliability: groups[1].reliability,
            latency: groups[1].latency, verdict: .pass, budget: .seconds(861), spent: .zero, left: .seconds(861),
            spentShare: 0, periodAligned: false)
        var quality = DataQuality()
        quality.gaps = [SeriesGap(series: SeriesKey(target: TargetID("vnpt-portal-1"), vantage: "hcm-1", family: .v4),
                                  start: at(fromMillis), end: at(fromMillis + 600_000), slices: 10)]
        quality.unhealthyPeriods = [UnhealthyPeriod(vantage: "hcm-1", start: at(fromMillis + 3_600_000),
                                                    end: at(fromMillis + 3_900_000))]
        return SLAResult(
            period: period(), rules: AccountingRules(), grouping: [.provider, .service], groups: groups,
            incidents: [
                incident(target: "evil-dns-1", provider: hostileProvider, service: awkwardService, startMinute: 100, minutes: 10),
                incident(target: "vnpt-portal-1", provider: "vnpt", service: "portal", startMinute: 2_780, minutes: nil),
            ],
            flappingEpisodes: [],
            maintenance: [MaintenanceLogEntry(
                windowID: "core-swap", declaredBy: "noc <ops@example.vn>", reason: awkwardReason,
                declaredAt: at(fromMillis - dayMillis * 2), start: at(fromMillis + 1_440 * 60_000),
                end: at(fromMillis + 1_500 * 60_000), leadTime: .seconds(2 * 86_400 + 86_400), late: false, units: 1,
                slices: 60, downSlices: 0)],
            objectives: [evaluation], dataQuality: quality,
            vantages: [
                VantageFigures(id: "hanoi-1", series: 2, probes: 11_520, coverage: 1, unhealthySlices: 0, unhealthyTime: .zero,
                               emptySeriesSlices: 0, reportsHealth: true),
                VantageFigures(id: "hcm-1", series: 2, probes: 11_000, coverage: 0.95, unhealthySlices: 5,
                               unhealthyTime: .seconds(300), emptySeriesSlices: 10, reportsHealth: true),
            ])
    }

    /// Each provider per day: the first day holds the DOWN slices.
    static func breakdown() -> SLABreakdown {
        let whole = result()
        let buckets = (0..<2).map { day -> BreakdownBucket in
            let from = fromMillis + Int64(day) * dayMillis
            let groups = whole.groups.map { group -> GroupFigures in
                var copy = group
                let down = day == 0 ? group.availability.slices.down : 0
                copy.availability = AvailabilityFigures(
                    slices: tally(up: 1_440 - down - 5, down: down, unknown: 5, total: 1_440), sliceMillis: 60_000)
                return copy
            }
            return BreakdownBucket(
                period: ReportPeriod(from: at(from), to: at(from + dayMillis), timeZone: "Asia/Ho_Chi_Minh", calendarUnit: nil),
                groups: groups)
        }
        return SLABreakdown(unit: .day, buckets: buckets)
    }
}
