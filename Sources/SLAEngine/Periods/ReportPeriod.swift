import Foundation
import WatchCore

/// The time a computation covers, `[from, to)`, and the timezone its calendar is read in.
public struct ReportPeriod: Sendable, Hashable {
    /// The first instant, inclusive.
    public var from: Timestamp
    /// The end, exclusive.
    public var to: Timestamp
    /// The IANA timezone of calendar periods and of times shown to people.
    public var timeZone: String
    /// The calendar unit, when the period is one calendar period.
    public var calendarUnit: CalendarPeriodUnit?

    /// The regulator's timezone, used when none is given.
    public static let defaultTimeZone = ServiceObjective.defaultTimeZone

    /// An explicit event window, e.g. a holiday watch; `to` must be after `from`.
    public static func window(
        from: Timestamp, to: Timestamp, timeZone: String = ReportPeriod.defaultTimeZone
    ) throws(SLAComputationError) -> ReportPeriod {
        guard to > from else { throw .emptyPeriod(from: from, to: to) }
        _ = try CalendarPeriods.calendar(timeZone)
        return ReportPeriod(from: from, to: to, timeZone: timeZone, calendarUnit: nil)
    }

    /// The calendar `unit` (day, ISO week, month, quarter, year) containing `instant`, its bounds at
    /// local midnight in `timeZone`. The month of 2027-02 in Asia/Ho_Chi_Minh is
    /// `[2027-01-31T17:00Z, 2027-02-28T17:00Z)`.
    public static func calendar(
        _ unit: CalendarPeriodUnit, containing instant: Timestamp, timeZone: String = ReportPeriod.defaultTimeZone
    ) throws(SLAComputationError) -> ReportPeriod {
        let bounds = try CalendarPeriods.bounds(of: unit, containing: instant, timeZone: timeZone)
        return ReportPeriod(from: bounds.from, to: bounds.to, timeZone: timeZone, calendarUnit: unit)
    }

    /// Whether `[from, to)` is exactly one calendar `unit` in `timeZone`.
    public func isCalendarPeriod(_ unit: CalendarPeriodUnit, timeZone zone: String) -> Bool {
        guard let bounds = try? CalendarPeriods.bounds(of: unit, containing: from, timeZone: zone) else { return false }
        return bounds.from == from && bounds.to == to
    }

    /// The slice grid over the period; a last partial slice counts as a whole one.
    public func grid(sliceMillis: Int64) -> SliceGrid {
        SliceGrid(fromMillis: from.millisecondsSinceEpoch, toMillis: to.millisecondsSinceEpoch, sliceMillis: sliceMillis)
    }
}

/// Calendar arithmetic in a named timezone, with Foundation's `Calendar` (ISO 8601: weeks start on
/// Monday).
enum CalendarPeriods {
    static func calendar(_ identifier: String) throws(SLAComputationError) -> Calendar {
        guard let zone = TimeZone(identifier: identifier) else { throw .unknownTimeZone(identifier) }
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        return calendar
    }

    static func bounds(
        of unit: CalendarPeriodUnit, containing instant: Timestamp, timeZone: String
    ) throws(SLAComputationError) -> (from: Timestamp, to: Timestamp) {
        let calendar = try calendar(timeZone)
        let date = instant.date
        let start: Date
        let next: Date?
        switch unit {
        case .day:
            start = calendar.startOfDay(for: date)
            next = calendar.date(byAdding: .day, value: 1, to: start)
        case .week:
            start = calendar.dateInterval(of: .weekOfYear, for: date)?.start ?? calendar.startOfDay(for: date)
            next = calendar.date(byAdding: .day, value: 7, to: start)
        case .month, .quarter, .year:
            let parts = calendar.dateComponents([.year, .month], from: date)
            let months = unit == .month ? 1 : unit == .quarter ? 3 : 12
            let firstMonth = unit == .month ? parts.month! : unit == .quarter ? (parts.month! - 1) / 3 * 3 + 1 : 1
            start = calendar.date(from: DateComponents(year: parts.year, month: firstMonth, day: 1))!
            next = calendar.date(byAdding: .month, value: months, to: start)
        }
        guard let next else { throw .unknownTimeZone(timeZone) }
        return (Timestamp(date: start), Timestamp(date: next))
    }
}

extension Timestamp {
    /// The instant as a Foundation date (ms precision is all accounting needs).
    var date: Date { Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1_000) }

    /// The instant of a Foundation date, to the millisecond.
    init(date: Date) {
        self.init(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1_000).rounded()))
    }
}
