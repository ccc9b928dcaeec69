import SLAEngine
import Testing
import WatchCore

@Suite struct FlappingTests {
    @Test func sixChangesInTwentyOneSlicesAreFlapping() {
        // U D U D U D U: six changes in seven slices.
        let spans = FlappingDetector.episodes(in: HandBuilt.states("UUUUUDUDUDUUUUUUUUUUUUUUUUUUUUUUU"), rule: FlappingRule())
        #expect(spans.count == 1)
        #expect(spans[0].peakChanges == 6)
        // The first window holding all six changes ends at slice 10 and starts at 0 (clipped);
        // the last still holding them ends at slice 5 + 19 = 24.
        #expect(spans[0].first == 0)
        #expect(spans[0].end == 25)
    }

    @Test func fiveChangesAreNotFlapping() {
        #expect(FlappingDetector.episodes(in: HandBuilt.states("UUUUDUDUDDDDDD"), rule: FlappingRule()).isEmpty)
    }

    @Test func changesFarApartAreNotFlapping() {
        // Six changes, but never more than two within 21 slices.
        let text = "UDU" + String(repeating: "U", count: 25) + "UDU" + String(repeating: "U", count: 25) + "UDU"
        #expect(FlappingDetector.episodes(in: HandBuilt.states(text), rule: FlappingRule()).isEmpty)
    }

    @Test func unknownSlicesAreSkippedNotCountedAsChanges() {
        // U ? U ? U …: no change at all.
        #expect(FlappingDetector.episodes(in: HandBuilt.states("U?U?U?U?U?U?U?U"), rule: FlappingRule()).isEmpty)
        // U ? D ? U ? D …: a change at every known slice.
        #expect(FlappingDetector.episodes(in: HandBuilt.states("U?D?U?D?U?D?U"), rule: FlappingRule()).count == 1)
    }

    @Test func anIncidentOverlappingAFlappingEpisodeIsMarked() {
        let rules = AccountingRules(incident: IncidentRule(openAfterDownSlices: 1, closeAfterUpSlices: 5))
        let result = HandBuilt.account([HandBuilt.series("UDUDUDUDUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUDDUUUUU")], rules: rules)
        #expect(result.incidents.count == 2)
        #expect(result.incidents.map(\.flapping) == [true, false])
        #expect(result.flappingEpisodes.count == 1)
        #expect(result.groups[0].reliability.flappingEpisodes == 1)
    }
}
