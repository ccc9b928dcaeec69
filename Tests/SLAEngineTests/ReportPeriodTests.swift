import SLAEngine
import Testing
import WatchCore

@Suite struct ReportPeriodTests {
    private func bounds(_ unit: CalendarPeriodUnit, _ instant: String, _ zone: String = "Asia/Ho_Chi_Minh") throws -> String {
        let period = try ReportPeriod.calendar(unit, containing: Timestamp(rfc3339: instant)!, timeZone: zone)
        return "\(period.from) \(period.to)"
    }

    @Test func aCalendarMonthInHoChiMinhCityStartsAt1700UTCOfThePreviousDay() throws {
        #expect(try bounds(.month, "2027-02-15T12:00+07:00") == "2027-01-31T17:00:00.000Z 2027-02-28T17:00:00.000Z")
        // The first hours of 1 March local are still 28 February in UTC, but already March.
        #expect(try bounds(.month, "2027-02-28T18:00Z") == "2027-02-28T17:00:00.000Z 2027-03-31T17:00:00.000Z")
    }

    @Test func daysWeeksQuartersAndYearsFollowTheLocalCalendar() throws {
        #expect(try bounds(.day, "2027-02-03T06:59Z") == "2027-02-02T17:00:00.000Z 2027-02-03T17:00:00.000Z")
        // 2027-02-03 is a Wednesday; ISO weeks start on Monday 2027-02-01.
        #expect(try bounds(.week, "2027-02-03T12:00+07:00") == "2027-01-31T17:00:00.000Z 2027-02-07T17:00:00.000Z")
        #expect(try bounds(.quarter, "2027-05-20T00:00+07:00") == "2027-03-31T17:00:00.000Z 2027-06-30T17:00:00.000Z")
        #expect(try bounds(.year, "2027-05-20T00:00+07:00") == "2026-12-31T17:00:00.000Z 2027-12-31T17:00:00.000Z")
    }

    @Test func theDayDaylightSavingStartsInBerlinHas23Hours() throws {
        let period = try ReportPeriod.calendar(.day, containing: Timestamp(rfc3339: "2027-03-28T12:00Z")!, timeZone: "Europe/Berlin")
        #expect(period.from.duration(to: period.to) == .seconds(23 * 3_600))
        #expect(period.grid(sliceMillis: 60_000).count == 23 * 60)
        #expect(period.isCalendarPeriod(.day, timeZone: "Europe/Berlin"))
        #expect(!period.isCalendarPeriod(.day, timeZone: "Asia/Ho_Chi_Minh"))
    }

    @Test func anEventWindowIsTakenAsGiven() throws {
        let period = try ReportPeriod.window(
            from: Timestamp(rfc3339: "2027-02-03T00:00+07:00")!, to: Timestamp(rfc3339: "2027-02-12T00:00+07:00")!)
        #expect(period.grid(sliceMillis: 60_000).count == 9 * 1_440)
        #expect(period.calendarUnit == nil)
    }

    @Test func anUnknownTimezoneAndAnEmptyWindowAreRefused() {
        #expect(throws: SLAComputationError.unknownTimeZone("Asia/Hanoi City")) {
            try ReportPeriod.calendar(.month, containing: Timestamp(nanosecondsSinceEpoch: 0), timeZone: "Asia/Hanoi City")
        }
        let instant = Timestamp(nanosecondsSinceEpoch: 0)
        #expect(throws: SLAComputationError.emptyPeriod(from: instant, to: instant)) {
            try ReportPeriod.window(from: instant, to: instant)
        }
    }
}
