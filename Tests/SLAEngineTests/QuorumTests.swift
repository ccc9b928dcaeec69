import SLAEngine
import Testing
import WatchCore

@Suite struct QuorumTests {
    private func target(_ patterns: [String], health: [String: VantageHealthTimeline] = [:]) -> String {
        let series = patterns.enumerated().map { HandBuilt.series($0.element, vantage: "v\($0.offset + 1)") }
        let result = HandBuilt.account(series, health: health, rules: AccountingRules(incident: IncidentRule(openAfterDownSlices: 1, closeAfterUpSlices: 1)))
        let combined = HandBuilt.text(VantageQuorum.combine(
            patterns.map { SeriesSlices.states(HandBuilt.counts($0), rule: SliceRule()) }, rule: QuorumRule()))
        // The accounting counts what the quorum says.
        let slices = result.groups[0].availability.slices
        #expect(slices.total == patterns[0].count)
        #expect(slices.down == combined.filter { $0 == "D" }.count)
        #expect(slices.up == combined.filter { $0 == "U" }.count)
        return combined
    }

    @Test func oneVantageDownAndTwoUpIsUp() {
        #expect(target(["DDDD", "UUUU", "UUUU"]) == "UUUU")
        let series = ["DDDD", "UUUU", "UUUU"].enumerated().map { HandBuilt.series($0.element, vantage: "v\($0.offset)") }
        let result = HandBuilt.account(series)
        #expect(result.groups[0].availability.raw == 1)
        #expect(result.incidents.isEmpty)
    }

    @Test func twoOfThreeDownIsDown() {
        #expect(target(["DDDD", "DDUU", "UUUU"]) == "DDUU")
    }

    @Test func twoOfTwoDownIsDownAndOneOfTwoIsUp() {
        #expect(target(["DDUU", "DUDU"]) == "DUUU")
    }

    @Test func aSingleReportingVantageDecidesAlone() {
        // v2 and v3 have no data in slices 0–1: only v1 reports, and its DOWN is the target's.
        #expect(target(["DDDD", "??UU", "??UU"]) == "DDUU")
        // One vantage only in the whole configuration.
        #expect(target(["DUD?"]) == "DUD?")
    }

    @Test func noReportingVantageIsUnknown() {
        #expect(target(["?U", "?D", "??"]) == "?U")
    }

    @Test func anUnhealthyVantageDoesNotReportSoItCannotMakeTheQuorum() {
        // v2 sees DOWN but is unhealthy: v1 DOWN, v3 UP report; one DOWN of two is UP.
        let health = ["v2": VantageHealthTimeline(verdicts: [.init(startMillis: HandBuilt.startMillis, healthy: false)])]
        let series = ["DDDD", "DDDD", "UUUU"].enumerated().map { HandBuilt.series($0.element, vantage: "v\($0.offset + 1)") }
        let result = HandBuilt.account(series, health: health)
        #expect(result.groups[0].availability.slices.up == 4)
        #expect(result.groups[0].availability.slices.down == 0)
    }

    @Test func theQuorumSizeIsConfigurable() {
        let states = ["DDDD", "DDUU", "DUUU"].map { SeriesSlices.states(HandBuilt.counts($0), rule: SliceRule()) }
        #expect(HandBuilt.text(VantageQuorum.combine(states, rule: QuorumRule(downVantages: 3))) == "DUUU")
        #expect(HandBuilt.text(VantageQuorum.combine(states, rule: QuorumRule(downVantages: 1))) == "DDDD")
    }

    @Test func groupingByVantageCountsEachSeriesWithoutQuorum() {
        let series = ["DDDD", "UUUU", "UUUU"].enumerated().map { HandBuilt.series($0.element, vantage: "v\($0.offset + 1)") }
        let result = HandBuilt.account(series, grouping: [.vantage])
        #expect(result.groups.map(\.key.description) == ["vantage=v1", "vantage=v2", "vantage=v3"])
        #expect(result.groups.map(\.availability.raw) == [0, 1, 1])
        #expect(result.incidents.map(\.vantage) == ["v1"])
    }

    @Test func objectivesAreJudgedOnTheQuorumEvenWhenGroupedByVantage() {
        let series = ["DDDDDDDDDD", "UUUUUUUUUU", "UUUUUUUUUU"].enumerated().map {
            HandBuilt.series($0.element, vantage: "v\($0.offset + 1)")
        }
        let result = HandBuilt.account(
            series, objectives: [ServiceObjective(id: "o", provider: "vnpt", availability: 0.99)], grouping: [.vantage])
        #expect(result.groups.map(\.availability.raw) == [0, 1, 1])
        #expect(result.objectives[0].availability.raw == 1)
        #expect(result.objectives[0].units == 1)
        #expect(result.objectives[0].verdict == .pass)
        #expect(result.objectives[0].reliability.incidents == 0)
    }
}
