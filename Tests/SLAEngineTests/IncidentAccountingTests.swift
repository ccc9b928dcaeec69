import SLAEngine
import Testing
import WatchCore

@Suite struct IncidentAccountingTests {
    @Test func kConsecutiveDownSlicesOpenAndMConsecutiveUpSlicesClose() {
        let rules = AccountingRules(incident: IncidentRule(openAfterDownSlices: 2, closeAfterUpSlices: 3))
        // One DOWN slice: nothing. Two: open at slice 3. Two UP slices do not close it; three do,
        // and the incident ends where that UP run began (slice 7 + 2 = 9).
        let result = HandBuilt.account([HandBuilt.series("UDUDDUUDDUUUU")], rules: rules)
        #expect(result.incidents.count == 1)
        let incident = result.incidents[0]
        #expect(incident.start == HandBuilt.at(3))
        #expect(incident.end == HandBuilt.at(9))
        #expect(incident.duration == .seconds(6 * 60))
        #expect(incident.downSlices == 4)
        #expect(incident.id == "t1/v4/20270131T1703Z")
    }

    @Test func withTheDefaultsTwoDownSlicesAreNoIncidentButThreeAre() {
        #expect(HandBuilt.account([HandBuilt.series("UUDDUUUUU")]).incidents.isEmpty)
        let result = HandBuilt.account([HandBuilt.series("UUDDDUUUUU")])
        #expect(result.incidents.map(\.start) == [HandBuilt.at(2)])
        #expect(result.incidents.map(\.end) == [HandBuilt.at(5)])
    }

    @Test func unknownSlicesFreezeTheIncidentState() {
        // D D ? D opens; four UPs around a gap do not close; the fifth does.
        let result = HandBuilt.account([HandBuilt.series("DD?DUU??UUDDDUUUUU")])
        #expect(result.incidents.count == 1)
        #expect(result.incidents[0].start == HandBuilt.at(0))
        #expect(result.incidents[0].end == HandBuilt.at(13))
    }

    @Test func anIncidentStillOpenRunsToTheEndOfThePeriod() {
        let result = HandBuilt.account([HandBuilt.series("UUDDDDUU")])
        #expect(result.incidents.count == 1)
        #expect(result.incidents[0].isOpen)
        #expect(result.incidents[0].duration == .seconds(6 * 60))
        #expect(result.groups[0].reliability.closedIncidents == 0)
        #expect(result.groups[0].reliability.mttr == nil)
    }

    @Test func anIncidentNamesTheVantagesThatSawItDown() {
        let series = [
            HandBuilt.series("UDDDDUUUUU", vantage: "hanoi-1"),
            HandBuilt.series("UDDDDUUUUU", vantage: "hcm-1"),
            HandBuilt.series("UUUUUUUUUU", vantage: "danang-1"),
        ]
        let result = HandBuilt.account(series)
        #expect(result.incidents.map(\.affectedVantages) == [["hanoi-1", "hcm-1"]])
        #expect(result.incidents[0].series.count == 3)
    }

    @Test func theDominantFailureIsTheMostFrequentReasonWithItsMostFrequentCode() {
        let key = SeriesKey(target: TargetID("t1"), vantage: "v1", family: .v4)
        var result = HandBuilt.account([HandBuilt.series("UDDDDUUUUU")])
        func failure(_ slice: Int, _ reason: String, _ code: Int32?) -> FailedProbe {
            FailedProbe(series: key, startMillis: HandBuilt.at(slice).millisecondsSinceEpoch, reason: reason, code: code)
        }
        let failures = [
            failure(1, "dns_servfail", 2), failure(2, "dns_servfail", 2), failure(3, "dns_timeout", nil),
            failure(4, "dns_servfail", 2), failure(4, "dns_refused", 5),
            // Outside the span (before its start, at its end): not counted.
            failure(0, "dns_timeout", nil), failure(5, "dns_timeout", nil), failure(5, "dns_timeout", nil),
        ]
        IncidentAttribution.attribute(failures, to: &result.incidents, periodEndMillis: HandBuilt.at(10).millisecondsSinceEpoch)
        #expect(result.incidents[0].dominantFailure == "dns_servfail")
        #expect(result.incidents[0].dominantCode == 2)
        #expect(result.incidents[0].failureCounts == ["dns_servfail": 3, "dns_timeout": 1, "dns_refused": 1])
    }

    @Test func mttrAndMtbfFollowTheirDefinitionsOnAHandComputedHistory() {
        // 30 slices: incident A slices 2–5 (4 DOWN, closes at 6 after 5 UPs), incident B slices
        // 16–21 (6 DOWN, closes at 22). UP slices: 30 − 10 = 20.
        let pattern = "UUDDDDUUUUUUUUUUDDDDDDUUUUUUUU"
        let result = HandBuilt.account([HandBuilt.series(pattern)])
        let reliability = result.groups[0].reliability
        #expect(result.incidents.map(\.duration) == [.seconds(240), .seconds(360)])
        #expect(reliability.incidents == 2)
        #expect(reliability.mttr == .seconds(300))           // (4 + 6) min / 2
        #expect(reliability.mtbf == .seconds(20 * 60 / 2))   // 20 UP minutes / 2 incidents
        #expect(reliability.longestOutage == .seconds(360))
        #expect(result.groups[0].availability.downtime == .seconds(600))
    }
}
