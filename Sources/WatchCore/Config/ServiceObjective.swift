/// A service-level objective: the availability a provider's service (or all its services) should
/// reach over a calendar period.
public struct ServiceObjective: Sendable, Hashable {
    /// The objective's id, unique in the configuration, e.g. `vnpt-dns-monthly`.
    public var id: String
    /// The provider whose series it covers.
    public var provider: String
    /// The service it covers; `nil` for every service of the provider.
    public var service: String?
    /// The availability to reach, as a fraction in (0, 1), e.g. 0.995 for 99.5 %.
    public var availability: Double
    /// The calendar period the objective and its error budget are set for.
    public var period: CalendarPeriodUnit
    /// The IANA timezone the period's boundaries are in (default `Asia/Ho_Chi_Minh`).
    public var timeZone: String
    /// The coverage below which the verdict is INSUFFICIENT DATA instead of PASS or FAIL, as a
    /// fraction (default 0.9).
    public var minimumCoverage: Double
    /// Where the objective was defined, for messages.
    public var definedAt: SourceLocation?

    /// The timezone periods are in when none is written: the regulator's.
    public static let defaultTimeZone = "Asia/Ho_Chi_Minh"
    /// The coverage needed for a verdict when none is written.
    public static let defaultMinimumCoverage = 0.9

    /// Creates an objective.
    public init(
        id: String, provider: String, service: String? = nil, availability: Double,
        period: CalendarPeriodUnit = .month, timeZone: String = ServiceObjective.defaultTimeZone,
        minimumCoverage: Double = ServiceObjective.defaultMinimumCoverage, definedAt: SourceLocation? = nil
    ) {
        self.id = id
        self.provider = provider
        self.service = service
        self.availability = availability
        self.period = period
        self.timeZone = timeZone
        self.minimumCoverage = minimumCoverage
        self.definedAt = definedAt
    }
}

/// A calendar period: the day, ISO week (Monday first), month, quarter or year an instant falls in.
public enum CalendarPeriodUnit: String, Sendable, Hashable, CaseIterable {
    case day, week, month, quarter, year
}
