/// One label of a remote-written series.
public struct RemoteLabel: Sendable, Hashable, Comparable {
    /// The label name (`__name__`, `target`, `phase`, …).
    public var name: String
    /// The label value.
    public var value: String

    /// Creates a label.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Byte order of the names, as the specification asks (`__name__` sorts first).
    public static func < (lhs: RemoteLabel, rhs: RemoteLabel) -> Bool {
        lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
    }
}

/// One sample of one series, as remote-write sends it.
public struct RemoteSample: Sendable, Hashable {
    /// The series' labels, `__name__` included, sorted by name.
    public var labels: [RemoteLabel]
    /// The value.
    public var value: Double
    /// Milliseconds since the Unix epoch.
    public var timestampMilliseconds: Int64

    /// Creates a sample; `labels` are sorted here, so any order may be passed.
    public init(labels: [RemoteLabel], value: Double, timestampMilliseconds: Int64) {
        self.labels = labels.sorted()
        self.value = value
        self.timestampMilliseconds = timestampMilliseconds
    }
}
