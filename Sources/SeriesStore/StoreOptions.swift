/// How a ``StoreWriter`` trades durability, latency and file sizes. Every field has a default.
public struct StoreOptions: Sendable {
    /// Buffered results are written out at least this often (by the writer's background thread).
    /// Default 1 s.
    public var flushInterval: Duration = .seconds(1)
    /// Buffered results are written out as soon as this many are waiting. Default 16,384.
    public var flushRecordCount: Int = 16_384
    /// Whether a flush also calls `fsync`, so that flushed results survive power loss and not only a
    /// process crash. Default true.
    public var syncOnFlush: Bool = true
    /// The active segment is sealed once it holds this many bytes. Default 64 MiB.
    public var maximumSegmentBytes: Int = 64 << 20
    /// The active segment is sealed once it is this old. Default 24 hours.
    public var maximumSegmentAge: Duration = .seconds(24 * 3600)
    /// The most results in one sealed block. Default 1,024.
    public var blockCapacity: Int = 1_024
    /// Whether sealing runs on the writer's background thread (true) or only when
    /// ``StoreWriter/sealPendingSegments()`` is called. Default true.
    public var sealsInBackground: Bool = true

    /// Creates the default options.
    public init() {}
}
