/// A declared maintenance window: a provider's announcement that some of its services will be down
/// on purpose, once or on a schedule.
///
/// A window excuses the downtime of the series in its ``scope`` only when it was declared at least
/// the SLA engine's lead time (default 24 h) before each occurrence starts; a late window is still
/// listed in the maintenance log, flagged, and its downtime counts (docs/SLA.md).
public struct MaintenanceWindow: Sendable, Hashable {
    /// The window's id, unique in the configuration, e.g. `vnpt-core-upgrade-2027-02`.
    public var id: String
    /// Which series the window covers.
    public var scope: MaintenanceScope
    /// When the window is.
    public var schedule: MaintenanceSchedule
    /// When the provider declared it (what the lead time is measured from).
    public var declaredAt: Timestamp
    /// Who declared it, for the maintenance log.
    public var declaredBy: String?
    /// Why, for the maintenance log.
    public var reason: String?
    /// Where the window was defined, for messages.
    public var definedAt: SourceLocation?

    /// Creates a window.
    public init(
        id: String, scope: MaintenanceScope, schedule: MaintenanceSchedule, declaredAt: Timestamp,
        declaredBy: String? = nil, reason: String? = nil, definedAt: SourceLocation? = nil
    ) {
        self.id = id
        self.scope = scope
        self.schedule = schedule
        self.declaredAt = declaredAt
        self.declaredBy = declaredBy
        self.reason = reason
        self.definedAt = definedAt
    }
}

/// The series a maintenance window covers: every list that is not empty must contain the series'
/// value (providers AND services AND targets); at least one list is given.
public struct MaintenanceScope: Sendable, Hashable {
    /// Provider ids; empty means any provider.
    public var providers: [String]
    /// Service names; empty means any service.
    public var services: [String]
    /// Target ids; empty means any target.
    public var targets: [TargetID]

    /// Creates a scope.
    public init(providers: [String] = [], services: [String] = [], targets: [TargetID] = []) {
        self.providers = providers
        self.services = services
        self.targets = targets
    }

    /// Whether a series of `target`, run by `provider` as part of `service`, is covered.
    public func covers(provider: String, service: String, target: TargetID) -> Bool {
        (providers.isEmpty || providers.contains(provider))
            && (services.isEmpty || services.contains(service))
            && (targets.isEmpty || targets.contains(target))
    }
}

/// When a maintenance window is: one stretch of time, or a recurrence in a timezone.
public enum MaintenanceSchedule: Sendable, Hashable {
    /// From `start` (inclusive) to `end` (exclusive).
    case once(start: Timestamp, end: Timestamp)
    /// Occurrences of a recurrence.
    case recurring(MaintenanceRecurrence)
}

/// A window that comes back: at a wall-clock time in a timezone, every day, on some weekdays, or on
/// one day of each month, for a duration. Wall-clock times follow the timezone's daylight-saving
/// rules (a 02:00 window in Europe/Berlin is 01:00 UTC in winter and 00:00 UTC in summer).
public struct MaintenanceRecurrence: Sendable, Hashable {
    /// How often.
    public var frequency: Frequency
    /// The weekdays of a weekly recurrence (ISO: 1 Monday … 7 Sunday); empty otherwise.
    public var weekdays: [Int]
    /// The day of the month of a monthly recurrence (1–31; a month without that day has no
    /// occurrence); `nil` otherwise.
    public var dayOfMonth: Int?
    /// The wall-clock start, hours (0–23).
    public var hour: Int
    /// The wall-clock start, minutes (0–59).
    public var minute: Int
    /// How long each occurrence lasts.
    public var duration: Duration
    /// The IANA timezone the wall-clock time is in, e.g. `Asia/Ho_Chi_Minh`.
    public var timeZone: String
    /// The first instant an occurrence may start at; `nil` for no bound.
    public var notBefore: Timestamp?
    /// The instant occurrences must start before; `nil` for no bound.
    public var notAfter: Timestamp?

    /// How often a window recurs.
    public enum Frequency: String, Sendable, Hashable, CaseIterable {
        case daily, weekly, monthly
    }

    /// Creates a recurrence.
    public init(
        frequency: Frequency, weekdays: [Int] = [], dayOfMonth: Int? = nil, hour: Int, minute: Int,
        duration: Duration, timeZone: String, notBefore: Timestamp? = nil, notAfter: Timestamp? = nil
    ) {
        self.frequency = frequency
        self.weekdays = weekdays
        self.dayOfMonth = dayOfMonth
        self.hour = hour
        self.minute = minute
        self.duration = duration
        self.timeZone = timeZone
        self.notBefore = notBefore
        self.notAfter = notAfter
    }
}
