import Testing
@testable import WatchCore

struct TimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(1_801_612_800_123_000_000), "2027-02-03T00:00:00.123Z"),
        (Int64(951_782_400_000_000_000), "2000-02-29T00:00:00.000Z"),
        (Int64(-1_000_000), "1969-12-31T23:59:59.999Z"),
    ])
    func formatsAsRFC3339InUTC(nanoseconds: Int64, expected: String) {
        #expect(Timestamp(nanosecondsSinceEpoch: nanoseconds).description == expected)
    }

    @Test func durationNanosecondsRoundTrip() {
        #expect(Duration.milliseconds(1500).nanoseconds == 1_500_000_000)
        #expect(Duration.nanoseconds(-7).nanoseconds == -7)
    }
}
