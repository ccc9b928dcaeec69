import Foundation
import WatchCore

/// One stretch of time a maintenance window covers.
public struct MaintenanceOccurrence: Sendable, Hashable {
    /// The first instant, inclusive.
    public var start: Timestamp
    /// The end, exclusive.
    public var end: Timestamp
}

extension MaintenanceWindow {
    /// The occurrences that overlap `[from, to)`, in time order.
    ///
    /// A recurring window's wall-clock start is resolved in its timezone by Foundation's calendar:
    /// daylight saving shifts it in UTC; a start that does not exist on a spring-forward day moves
    /// to the next valid time, an ambiguous one on a fall-back day is the first of the two.
    public func occurrences(overlapping from: Timestamp, _ to: Timestamp) throws(SLAComputationError) -> [MaintenanceOccurrence] {
        switch schedule {
        case .once(let start, let end):
            return start < to && end > from ? [MaintenanceOccurrence(start: start, end: end)] : []
        case .recurring(let recurrence):
            return try recurrence.occurrences(overlapping: from, to)
        }
    }
}

extension MaintenanceRecurrence {
    func occurrences(overlapping from: Timestamp, _ to: Timestamp) throws(SLAComputationError) -> [MaintenanceOccurrence] {
        let calendar = try CalendarPeriods.calendar(timeZone)
        // Start a day early for an occurrence that began before `from` and still runs, plus its length.
        let lengthDays = Int(duration.components.seconds / 86_400) + 1
        guard var day = calendar.date(byAdding: .day, value: -lengthDays - 1, to: calendar.startOfDay(for: from.date))
        else { return [] }
        let last = calendar.startOfDay(for: to.date)
        var found: [MaintenanceOccurrence] = []
        while day <= last {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if matches(weekday: parts.weekday!, dayOfMonth: parts.day!),
               let startDate = calendar.date(from: DateComponents(
                   year: parts.year, month: parts.month, day: parts.day, hour: hour, minute: minute))
            {
                let start = Timestamp(date: startDate)
                let end = start.advanced(by: duration)
                let allowed = (notBefore.map { start >= $0 } ?? true) && (notAfter.map { start < $0 } ?? true)
                if allowed, start < to, end > from { found.append(MaintenanceOccurrence(start: start, end: end)) }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        return found
    }

    /// Whether a day with Foundation weekday `weekday` (1 Sunday … 7 Saturday) and day of month
    /// `dayOfMonth` has an occurrence.
    private func matches(weekday: Int, dayOfMonth day: Int) -> Bool {
        switch frequency {
        case .daily: true
        case .weekly: weekdays.contains(weekday == 1 ? 7 : weekday - 1)
        case .monthly: dayOfMonth == day
        }
    }
}
