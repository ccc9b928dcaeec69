import WatchCore

// A series is identified by `WatchCore.SeriesKey` (target × vantage × IP family), the same key the
// configuration expands targets into.

/// Facts about a series' target kept in the series index (for grouping and export), not part of
/// its identity.
public struct SeriesMetadata: Sendable, Hashable {
    /// The provider operating the target.
    public var provider: String
    /// The service the target is part of (e.g. `dns`, `portal`).
    public var service: String
    /// The kind of probe.
    public var kind: ProbeKind?
    /// The region the target serves.
    public var region: String
    /// Free-form labels, sorted by key when stored.
    public var labels: [String: String]

    /// Creates metadata; every field defaults to empty.
    public init(provider: String = "", service: String = "", kind: ProbeKind? = nil, region: String = "",
                labels: [String: String] = [:]) {
        self.provider = provider
        self.service = service
        self.kind = kind
        self.region = region
        self.labels = labels
    }
}

/// One series as recorded in the series index.
public struct SeriesEntry: Sendable, Hashable {
    /// The number results refer to.
    public var id: SeriesID
    /// The series' identity.
    public var key: SeriesKey
    /// Facts about it.
    public var metadata: SeriesMetadata

    /// Creates an entry.
    public init(id: SeriesID, key: SeriesKey, metadata: SeriesMetadata) {
        self.id = id
        self.key = key
        self.metadata = metadata
    }
}
