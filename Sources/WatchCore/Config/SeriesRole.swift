/// What a series is for, beyond the provider targets a configuration lists: the vantage's own
/// control probes and its health verdicts are stored beside the targets' results, marked by the
/// series metadata label ``labelName``, so that the SLA engine can tell them apart.
public enum SeriesRole: String, Sendable, Hashable, CaseIterable {
    /// A provider's target (the default: series without the label).
    case target
    /// A control probe of the vantage itself (e.g. a well-known anycast resolver), not a provider's.
    case control
    /// The vantage's health verdict, one result per evaluation: success means healthy. It covers
    /// the time from its start to the next verdict; slices of that vantage covered by an unhealthy
    /// verdict are UNKNOWN, not DOWN.
    case vantageHealth = "vantage-health"

    /// The metadata label carrying the role (absent means ``target``).
    public static let labelName = "ispwatch_role"

    /// Target ids beginning with this are reserved for ispwatch's own series.
    public static let reservedTargetPrefix = "ispwatch."

    /// The target id of the vantage-health series (one per vantage: the vantage is in the series key).
    public static let vantageHealthTarget = TargetID("ispwatch.vantage-health")

    /// The target id under which the control named `id` is stored.
    public static func controlTarget(_ id: String) -> TargetID { TargetID(reservedTargetPrefix + "control." + id) }

    /// The role recorded in a series' labels.
    public init(labels: [String: String]) {
        self = labels[Self.labelName].flatMap(SeriesRole.init(rawValue:)) ?? .target
    }
}
