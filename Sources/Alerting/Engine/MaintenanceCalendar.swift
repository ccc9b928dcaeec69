import SLAEngine
import WatchCore

/// Which maintenance windows cover a slice, for muting alerts.
///
/// Unlike the SLA accounting, muting does not ask for a lead time: a window declared late still
/// mutes the pages it was declared for (it only excuses no downtime in the report). Like the
/// accounting, only slices wholly inside an occurrence are covered.
struct MaintenanceCalendar: Sendable {
    var windows: [MaintenanceWindow]

    /// The scopes of the windows covering all of `[from, to)`.
    func scopes(coveringFrom from: Timestamp, to: Timestamp) -> [MaintenanceScope] {
        windows.compactMap { window in
            // A bad timezone was refused when the configuration loaded; here it simply covers nothing.
            let occurrences = (try? window.occurrences(overlapping: from, to)) ?? []
            return occurrences.contains { $0.start <= from && $0.end >= to } ? window.scope : nil
        }
    }
}
