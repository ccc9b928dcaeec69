import SeriesStore
import WatchCore

/// Everything the daemon knows about one series it probes: what to probe, where its results go,
/// and how it is labelled.
public struct SeriesPlan: Sendable, Hashable {
    /// The series' identity in the store (controls under their reserved target id).
    public var key: SeriesKey
    /// The target as configured (for a control, with the id written in the configuration).
    public var target: Target
    /// A provider's target or one of the vantage's controls.
    public var role: SeriesRole
    /// The facts stored with the series.
    public var metadata: SeriesMetadata

    /// The probe of this series for the slot `scheduledAt`.
    public func request(scheduledAt: Timestamp) -> ProbeRequest {
        ProbeRequest(
            target: target.id, spec: target.spec, ipFamily: key.family, timeout: target.timeout,
            scheduledAt: scheduledAt)
    }
}
