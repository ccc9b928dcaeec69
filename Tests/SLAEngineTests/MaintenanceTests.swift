import SLAEngine
import Testing
import WatchCore

@Suite struct MaintenanceTests {
    private func window(
        slices: Range<Int>, declaredBefore lead: Duration, scope: MaintenanceScope = MaintenanceScope(providers: ["vnpt"])
    ) -> MaintenanceWindow {
        let start = HandBuilt.at(slices.lowerBound)
        return MaintenanceWindow(
            id: "w1", scope: scope, schedule: .once(start: start, end: HandBuilt.at(slices.upperBound)),
            declaredAt: start.advanced(by: .zero - lead), declaredBy: "VNPT NOC", reason: "upgrade")
    }

    @Test func maintenanceDeclaredInTimeExcusesItsDowntime() {
        let result = HandBuilt.account(
            [HandBuilt.series("UUDDDDUUUU")], maintenance: [window(slices: 2..<6, declaredBefore: .seconds(2 * 86_400))])
        let availability = result.groups[0].availability
        #expect(availability.raw == 0.6)
        #expect(availability.adjusted == 1)
        #expect(availability.downtimeRaw == .seconds(240))
        #expect(availability.downtime == .zero)
        #expect(availability.maintenanceTime == .seconds(240))
        #expect(result.incidents.isEmpty)
        #expect(result.maintenance.count == 1)
        #expect(result.maintenance[0].late == false)
        #expect(result.maintenance[0].downSlices == 4)
        #expect(result.maintenance[0].leadTime == .seconds(2 * 86_400))
    }

    @Test func lateMaintenanceCountsAsDowntimeAndIsFlagged() {
        let result = HandBuilt.account(
            [HandBuilt.series("UUDDDDUUUUUU")], maintenance: [window(slices: 2..<6, declaredBefore: .seconds(3_600))])
        let availability = result.groups[0].availability
        #expect(availability.adjusted == availability.raw)
        #expect(availability.downtime == .seconds(240))
        #expect(availability.slices.downInLateMaintenance == 4)
        #expect(result.maintenance.map(\.late) == [true])
        #expect(result.incidents.count == 1)
        #expect(result.incidents[0].duringLateMaintenance)
    }

    @Test func theLeadTimeIsConfigurable() {
        let rules = AccountingRules(maintenanceLeadTime: .seconds(1_800))
        let result = HandBuilt.account(
            [HandBuilt.series("UUDDDDUUUU")], rules: rules, maintenance: [window(slices: 2..<6, declaredBefore: .seconds(3_600))])
        #expect(result.maintenance.map(\.late) == [false])
        #expect(result.groups[0].availability.adjusted == 1)
    }

    @Test func onlySlicesWhollyInsideTheWindowAreExcused() {
        var partial = window(slices: 2..<6, declaredBefore: .seconds(86_400 * 2))
        partial.schedule = .once(start: HandBuilt.at(2).advanced(by: .seconds(30)), end: HandBuilt.at(6))
        let result = HandBuilt.account([HandBuilt.series("UUDDDDUUUU")], maintenance: [partial])
        #expect(result.groups[0].availability.slices.maintenance == 3)
        #expect(result.groups[0].availability.slices.downInMaintenance == 3)
        #expect(result.groups[0].availability.downtime == .seconds(60))
    }

    @Test func aWindowCoversOnlyTheSeriesInItsScope() {
        let series = [
            HandBuilt.series("UUDDDDUUUU", target: "vnpt-dns", provider: "vnpt"),
            HandBuilt.series("UUDDDDUUUU", target: "fpt-dns", provider: "fpt"),
        ]
        let result = HandBuilt.account(
            series, maintenance: [window(slices: 2..<6, declaredBefore: .seconds(86_400 * 2))], grouping: [.provider])
        #expect(result.groups.map(\.key.description) == ["provider=fpt", "provider=vnpt"])
        #expect(result.groups.map(\.availability.adjusted) == [0.6, 1])
        #expect(result.maintenance[0].units == 1)
    }

    private func starts(_ recurrence: MaintenanceRecurrence, from: String, to: String) throws -> [String] {
        let window = MaintenanceWindow(
            id: "r", scope: MaintenanceScope(providers: ["vnpt"]), schedule: .recurring(recurrence),
            declaredAt: Timestamp(rfc3339: "2026-01-01T00:00Z")!)
        return try window.occurrences(overlapping: Timestamp(rfc3339: from)!, Timestamp(rfc3339: to)!).map {
            "\($0.start)…\($0.end)"
        }
    }

    @Test func aDailyWindowInHoChiMinhCityIsAtTheSameUTCTimeEveryDay() throws {
        let recurrence = MaintenanceRecurrence(
            frequency: .daily, hour: 2, minute: 0, duration: .seconds(3_600), timeZone: "Asia/Ho_Chi_Minh")
        #expect(try starts(recurrence, from: "2027-03-26T00:00+07:00", to: "2027-03-29T00:00+07:00") == [
            "2027-03-25T19:00:00.000Z…2027-03-25T20:00:00.000Z", "2027-03-26T19:00:00.000Z…2027-03-26T20:00:00.000Z",
            "2027-03-27T19:00:00.000Z…2027-03-27T20:00:00.000Z",
        ])
    }

    @Test func aDailyWindowInBerlinMovesInUTCWhenDaylightSavingStarts() throws {
        // Summer time starts on Sunday 2027-03-28: 03:00 local is 02:00Z before, 01:00Z after.
        let recurrence = MaintenanceRecurrence(
            frequency: .daily, hour: 3, minute: 0, duration: .seconds(1_800), timeZone: "Europe/Berlin")
        #expect(try starts(recurrence, from: "2027-03-27T00:00Z", to: "2027-03-30T00:00Z") == [
            "2027-03-27T02:00:00.000Z…2027-03-27T02:30:00.000Z", "2027-03-28T01:00:00.000Z…2027-03-28T01:30:00.000Z",
            "2027-03-29T01:00:00.000Z…2027-03-29T01:30:00.000Z",
        ])
    }

    @Test func aWeeklyAndAMonthlyWindowFallOnTheirDays() throws {
        // 2027-02-07 and 2027-02-14 are Sundays.
        let weekly = MaintenanceRecurrence(
            frequency: .weekly, weekdays: [7], hour: 1, minute: 30, duration: .seconds(600), timeZone: "Asia/Ho_Chi_Minh")
        #expect(try starts(weekly, from: "2027-02-01T00:00+07:00", to: "2027-02-15T00:00+07:00") == [
            "2027-02-06T18:30:00.000Z…2027-02-06T18:40:00.000Z", "2027-02-13T18:30:00.000Z…2027-02-13T18:40:00.000Z",
        ])
        // The 31st: January and March have one, February does not.
        let monthly = MaintenanceRecurrence(
            frequency: .monthly, dayOfMonth: 31, hour: 0, minute: 0, duration: .seconds(3_600), timeZone: "UTC")
        #expect(try starts(monthly, from: "2027-01-01T00:00Z", to: "2027-04-01T00:00Z") == [
            "2027-01-31T00:00:00.000Z…2027-01-31T01:00:00.000Z", "2027-03-31T00:00:00.000Z…2027-03-31T01:00:00.000Z",
        ])
    }

    @Test func aRecurringWindowIsJudgedLateOccurrenceByOccurrence() throws {
        // Daily at 00:02 local (slice 2 of each hand-built day), declared 30 h before the period,
        // with a 48 h lead time: the first occurrence (30 h of notice) is late, the second (54 h)
        // in time.
        let recurrence = MaintenanceRecurrence(
            frequency: .daily, hour: 0, minute: 2, duration: .seconds(120), timeZone: "Asia/Ho_Chi_Minh")
        let window = MaintenanceWindow(
            id: "nightly", scope: MaintenanceScope(targets: [TargetID("t1")]), schedule: .recurring(recurrence),
            declaredAt: HandBuilt.at(0).advanced(by: .seconds(-30 * 3_600)))
        let day = 1_440
        let pattern = "UUDDUU" + String(repeating: "U", count: day - 6) + "UUDDUU" + String(repeating: "U", count: day - 6)
        let result = HandBuilt.account(
            [HandBuilt.series(pattern)], rules: AccountingRules(maintenanceLeadTime: .seconds(48 * 3_600)),
            maintenance: [window])
        #expect(result.maintenance.map(\.late) == [true, false])
        #expect(result.groups[0].availability.slices.downInMaintenance == 2)
        #expect(result.groups[0].availability.slices.downInLateMaintenance == 2)
    }
}
