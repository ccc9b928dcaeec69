import Testing
@testable import WatchCore

struct RFC3339ParsingTests {
    @Test(arguments: [
        ("2027-02-03T00:00:00.000Z", Int64(1_801_612_800_000_000_000)),
        ("2027-02-03T00:00:00Z", Int64(1_801_612_800_000_000_000)),
        ("2027-02-03T00:00Z", Int64(1_801_612_800_000_000_000)),
        ("2027-02-03T07:00+07:00", Int64(1_801_612_800_000_000_000)),
        ("2027-02-02T19:30:00-04:30", Int64(1_801_612_800_000_000_000)),
        ("2027-02-03t00:00:00.123z", Int64(1_801_612_800_123_000_000)),
        ("2027-02-03 00:00:00.123456789Z", Int64(1_801_612_800_123_456_789)),
        ("2000-02-29T00:00:00Z", Int64(951_782_400_000_000_000)),
        ("1969-12-31T23:59:59.999Z", Int64(-1_000_000)),
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2016-12-31T23:59:60Z", Int64(1_483_228_799_999_999_999)),
    ])
    func parsesDateTimesWithOffsets(text: String, nanoseconds: Int64) {
        #expect(Timestamp(rfc3339: text)?.nanosecondsSinceEpoch == nanoseconds)
    }

    @Test(arguments: [
        "", "2027-02-03", "2027-02-03T00:00", "2027-02-03T00:00:00", "2027-2-03T00:00Z", "2027-02-03T0:00Z",
        "2027-02-30T00:00Z", "2027-13-01T00:00Z", "2027-00-01T00:00Z", "2026-02-29T00:00Z", "1900-02-29T00:00Z",
        "2027-02-03T24:00Z", "2027-02-03T00:60Z", "2027-02-03T00:00:61Z", "2027-02-03T00:00:00.Z",
        "2027-02-03T00:00+0700", "2027-02-03T00:00+07", "2027-02-03T00:00+24:00", "2027-02-03T00:00:00ZZ",
        " 2027-02-03T00:00Z", "2027-02-03T00:00Z ", "2027-02-03X00:00Z", "yesterday", "1801612800",
    ])
    func rejectsWhatIsNotRFC3339(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func parsingTheFormattedFormGivesTheSameMillisecond() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let millis = Int64.random(in: -5_000_000_000_000...5_000_000_000_000, using: &random)  // ±158 years: Int64 nanoseconds span ±292
            let timestamp = Timestamp(millisecondsSinceEpoch: millis)
            #expect(Timestamp(rfc3339: timestamp.description) == timestamp, "\(timestamp) \(millis) \(String(describing: Timestamp(rfc3339: timestamp.description)?.nanosecondsSinceEpoch))")
        }
    }
}
