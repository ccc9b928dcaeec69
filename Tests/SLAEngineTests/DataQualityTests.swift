import SLAEngine
import Testing
import WatchCore

@Suite struct DataQualityTests {
    @Test func gapsOfFiveSlicesOrMoreAreListedAndUnhealthyTimeIsNotAGap() {
        // Slices 2–7 empty (6: listed), 10–12 empty (3: not listed), 15–21 empty but the vantage
        // was unhealthy from 15 on (not a gap: the vantage said why).
        let pattern = "UU??????UU???UU???????UU"
        let health = ["v1": VantageHealthTimeline(verdicts: [
            .init(startMillis: HandBuilt.at(15).millisecondsSinceEpoch, healthy: false),
            .init(startMillis: HandBuilt.at(22).millisecondsSinceEpoch, healthy: true),
        ])]
        let result = HandBuilt.account([HandBuilt.series(pattern)], health: health)
        let key = SeriesKey(target: TargetID("t1"), vantage: "v1", family: .v4)
        #expect(result.dataQuality.gaps == [SeriesGap(series: key, start: HandBuilt.at(2), end: HandBuilt.at(8), slices: 6)])
        let vantage = result.vantages[0]
        #expect(vantage.emptySeriesSlices == 9)
        #expect(vantage.unhealthySlices == 7)
        #expect(vantage.coverage == 8.0 / 24.0)
        #expect(vantage.probes == 16)
        #expect(vantage.reportsHealth)
    }

    @Test func eachIPFamilyOfATargetIsItsOwnUnit() {
        let series = [
            HandBuilt.series("UUUUUUUUUU", family: .v4),
            HandBuilt.series("UDDDDDUUUU", family: .v6),
        ]
        let result = HandBuilt.account(series, grouping: [.target])
        #expect(result.groups[0].units == 2)
        #expect(result.groups[0].availability.slices.total == 20)
        #expect(result.groups[0].availability.slices.down == 5)
        #expect(result.incidents.map(\.family) == [.v6])
    }
}
