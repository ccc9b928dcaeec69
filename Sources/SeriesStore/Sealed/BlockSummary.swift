import WatchCore

/// What a sealed block holds, read from the file's index without decoding the block, so that
/// queries can skip or answer from whole blocks.
public struct BlockSummary: Sendable, Equatable {
    /// The sealed file the block is in.
    public var path: String
    /// The block's position among the file's blocks (0-based, in index order).
    public var blockNumber: Int
    /// The series of every result in the block.
    public var series: SeriesID
    /// The byte offset of the block header in the file.
    public var offset: Int
    /// Header plus payload length, bytes.
    public var length: Int
    /// How many results.
    public var count: Int
    /// How many of them failed.
    public var failures: Int
    /// The earliest start time, ms.
    public var minStartMillis: Int64
    /// The latest start time, ms.
    public var maxStartMillis: Int64
    /// The total latencies (µs) of the block's results.
    public var latency: LatencySketch

    /// Whether the block may hold a result starting in `[from, to)`.
    public func overlaps(fromMillis: Int64?, toMillis: Int64?) -> Bool {
        if let fromMillis, maxStartMillis < fromMillis { return false }
        if let toMillis, minStartMillis >= toMillis { return false }
        return true
    }
}
