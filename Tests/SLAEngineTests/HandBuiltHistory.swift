import SLAEngine
import SeriesStore
import WatchCore

/// Hand-built histories: one character per slice.
///
/// `U` two probes, both fine · `D` two probes, both failed · `h` two probes, one failed (half) ·
/// `d` three probes, one failed (a third) · `?` no probe.
enum HandBuilt {
    /// 2027-02-01T00:00+07:00, the start of every hand-built period.
    static let startMillis: Int64 = 1_801_414_800_000
    static let minute: Int64 = 60_000

    static func period(slices: Int, timeZone: String = "Asia/Ho_Chi_Minh") -> ReportPeriod {
        try! ReportPeriod.window(
            from: Timestamp(millisecondsSinceEpoch: startMillis),
            to: Timestamp(millisecondsSinceEpoch: startMillis + Int64(slices) * minute), timeZone: timeZone)
    }

    static func grid(slices: Int) -> SliceGrid { SliceGrid(startMillis: startMillis, count: slices) }

    static func counts(_ pattern: String) -> SliceCounts {
        var counts = SliceCounts(grid: grid(slices: pattern.count))
        for (slice, character) in pattern.enumerated() {
            let start = startMillis + Int64(slice) * minute
            let outcomes: [Bool] = switch character {
            case "U": [true, true]
            case "D": [false, false]
            case "h": [true, false]
            case "d": [true, false, true]
            default: []
            }
            for (offset, success) in outcomes.enumerated() {
                counts.add(startMillis: start + Int64(offset) * 20_000, success: success)
            }
        }
        return counts
    }

    static func series(
        _ pattern: String, target: String = "t1", vantage: String = "v1", family: IPFamily = .v4,
        provider: String = "vnpt", service: String = "dns", region: String = "hanoi"
    ) -> SeriesHistory {
        SeriesHistory(
            descriptor: SeriesDescriptor(
                key: SeriesKey(target: TargetID(target), vantage: vantage, family: family), provider: provider,
                service: service, region: region, kind: .dns),
            counts: counts(pattern))
    }

    static func states(_ text: String) -> [SliceState] {
        text.map { character -> SliceState in
            switch character {
            case "U": .up
            case "D": .down
            case "M": .maintenance
            default: .unknown
            }
        }
    }

    static func text(_ states: [SliceState]) -> String {
        String(states.map { state -> Character in
            switch state {
            case .up: "U"
            case .down: "D"
            case .maintenance: "M"
            case .unknown: "?"
            }
        })
    }

    static func at(_ slice: Int) -> Timestamp { Timestamp(millisecondsSinceEpoch: startMillis + Int64(slice) * minute) }

    /// Accounts `series` over `slices` slices (the longest pattern when not given).
    static func account(
        _ series: [SeriesHistory], health: [String: VantageHealthTimeline] = [:], rules: AccountingRules = AccountingRules(),
        maintenance: [MaintenanceWindow] = [], objectives: [ServiceObjective] = [],
        grouping: [GroupingDimension] = [.target]
    ) -> SLAResult {
        let slices = series.first?.counts.grid.count ?? 0
        let accounting = SLAAccounting(rules: rules, maintenance: maintenance, objectives: objectives, grouping: grouping)
        return try! accounting.account(AccountingInput(series: series, health: health), period: period(slices: slices))
    }
}
