import SLAEngine
import Testing
import WatchCore

@Suite struct SliceRuleTests {
    @Test func aGapIsUnknownNotDown() {
        let states = SeriesSlices.states(HandBuilt.counts("UU??DD"), rule: SliceRule())
        #expect(HandBuilt.text(states) == "UU??DD")
    }

    @Test func theLastStateIsNeverCarriedOverAGap() {
        // DOWN before and after the gap: the gap stays UNKNOWN, and availability counts only the
        // measured slices.
        let result = HandBuilt.account([HandBuilt.series("DDD???UUU")])
        let availability = result.groups[0].availability
        #expect(availability.slices.down == 3)
        #expect(availability.slices.up == 3)
        #expect(availability.slices.unknown == 3)
        #expect(availability.raw == 0.5)
        #expect(availability.coverage == 6.0 / 9.0)
    }

    @Test func halfTheProbesFailedIsDownByDefaultAndAThirdIsUp() {
        #expect(HandBuilt.text(SeriesSlices.states(HandBuilt.counts("hd"), rule: SliceRule())) == "DU")
    }

    @Test func theDownShareIsConfigurable() {
        let rule = SliceRule(downShare: 0.3)
        #expect(HandBuilt.text(SeriesSlices.states(HandBuilt.counts("hdU"), rule: rule)) == "DDU")
        let strict = SliceRule(downShare: 1)
        #expect(HandBuilt.text(SeriesSlices.states(HandBuilt.counts("hDU"), rule: strict)) == "UDU")
    }

    @Test func anUnhealthyVantageMakesItsSlicesUnknownWhateverItMeasured() {
        let unhealthy = [false, true, true, false]
        let states = SeriesSlices.states(HandBuilt.counts("DDUU"), rule: SliceRule(), unhealthy: unhealthy)
        #expect(HandBuilt.text(states) == "D??U")
    }

    @Test func aHealthVerdictCoversUntilTheNextAndAnyOverlapMakesTheSliceUnhealthy() {
        let grid = HandBuilt.grid(slices: 6)
        let start = HandBuilt.startMillis
        let timeline = VantageHealthTimeline(verdicts: [
            .init(startMillis: start - 600_000, healthy: true),
            // Unhealthy from 1:30 to 3:00: slices 1 and 2.
            .init(startMillis: start + 90_000, healthy: false),
            .init(startMillis: start + 180_000, healthy: true),
            // Unhealthy from 5:00 to the end.
            .init(startMillis: start + 300_000, healthy: false),
        ])
        #expect(timeline.unhealthySlices(in: grid) == [false, true, true, false, false, true])
        #expect(VantageHealthTimeline(verdicts: []).unhealthySlices(in: grid) == Array(repeating: false, count: 6))
    }

    @Test func anUnhealthyVantageTurnsWouldBeDowntimeIntoUnknownInTheAccounting() {
        let health = ["v1": VantageHealthTimeline(verdicts: [
            .init(startMillis: HandBuilt.startMillis + 2 * HandBuilt.minute, healthy: false),
            .init(startMillis: HandBuilt.startMillis + 6 * HandBuilt.minute, healthy: true),
        ])]
        let result = HandBuilt.account([HandBuilt.series("UUDDDDUU")], health: health)
        #expect(result.groups[0].availability.slices.down == 0)
        #expect(result.groups[0].availability.slices.unknown == 4)
        #expect(result.incidents.isEmpty)
        #expect(result.dataQuality.unhealthyPeriods == [UnhealthyPeriod(vantage: "v1", start: HandBuilt.at(2), end: HandBuilt.at(6))])
        #expect(result.vantages.first?.unhealthySlices == 4)
    }
}
