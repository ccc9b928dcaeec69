import SLAEngine
import Testing

@Suite struct IncidentDetectorTests {
    private func states(_ text: String) -> [SliceState] {
        text.map { character -> SliceState in
            switch character {
            case "D": .down
            case "U": .up
            case "M": .maintenance
            default: .unknown
            }
        }
    }

    @Test func twoDownSlicesOpenNothingWhenThreeAreNeeded() {
        #expect(IncidentDetector.incidents(in: states("UUDDUUUUU"), rule: IncidentRule()).isEmpty)
    }

    @Test func anIncidentStartsAtItsFirstDownSliceAndEndsWhereTheClosingUpRunBegins() {
        let spans = IncidentDetector.incidents(in: states("UUDDDDUUUUUU"), rule: IncidentRule())
        #expect(spans == [IncidentSpan(firstSlice: 2, endSlice: 6)])
    }

    @Test func unknownSlicesFreezeBothRuns() {
        // D D ? D opens (the gap neither breaks nor counts); U U ? U U U closes after five UPs.
        let spans = IncidentDetector.incidents(in: states("DD?DUU?UUU"), rule: IncidentRule())
        #expect(spans == [IncidentSpan(firstSlice: 0, endSlice: 4)])
    }

    @Test func fourUpSlicesDoNotCloseAndTheIncidentStaysOpen() {
        let spans = IncidentDetector.incidents(in: states("DDDUUUUD"), rule: IncidentRule())
        #expect(spans == [IncidentSpan(firstSlice: 0, endSlice: nil)])
    }
}
