import NIOCore

/// One exposition, rendered piece by piece: each ``next()`` renders about `chunkSize` bytes more.
///
/// Made by ``ProbeMetrics/exposition(chunkSize:)`` from a copy of the series taken then, so later
/// records do not show in it. The server sends each piece as soon as it is rendered, so a scrape of
/// 100,000 series never holds the whole text (hundreds of megabytes) in memory, and each piece is a
/// short slice of work on whatever thread asks for it.
public struct ExpositionChunks: IteratorProtocol, Sequence, Sendable {
    private let series: [SeriesMetrics]
    private let runtime: RuntimeSnapshot
    private let buckets: LatencyBuckets
    private let chunkSize: Int
    private var buffer: ExpositionBuffer
    private var familyIndex = 0
    private var seriesIndex = 0
    private var runtimeWritten = false

    init(series: [SeriesMetrics], runtime: RuntimeSnapshot, buckets: LatencyBuckets, chunkSize: Int,
         expectedSize: Int)
    {
        self.series = series
        self.runtime = runtime
        self.buckets = buckets
        self.chunkSize = Swift.max(chunkSize, 1)
        buffer = ExpositionBuffer(reservingCapacity: Self.capacity(chunkSize: chunkSize, expectedSize: expectedSize))
    }

    /// The next piece of the exposition, at least `chunkSize` bytes except for the last; `nil`
    /// once everything was returned.
    public mutating func next() -> ByteBuffer? {
        let families = SeriesExposition.families
        while buffer.count < chunkSize {
            if familyIndex < families.count && !series.isEmpty {
                let family = families[familyIndex]
                if seriesIndex == 0 { buffer.begin(family.family) }
                while seriesIndex < series.count && buffer.count < chunkSize {
                    family.write(&buffer, series[seriesIndex], buckets)
                    seriesIndex += 1
                }
                if seriesIndex == series.count {
                    familyIndex += 1
                    seriesIndex = 0
                }
            } else if !runtimeWritten {
                RuntimeExposition.write(runtime, seriesWithMetrics: series.count, into: &buffer)
                runtimeWritten = true
            } else {
                break
            }
        }
        guard buffer.count > 0 else { return nil }
        // Once the runtime families are written nothing follows: reserve nothing for a next piece.
        return buffer.take(reservingForNext: runtimeWritten ? 0 : Swift.min(chunkSize, 4 << 20) + Self.overshoot)
    }

    /// A piece overshoots the chunk size by at most one series' samples of one family (a histogram:
    /// a few KiB), so this much more is reserved.
    private static let overshoot = 16 * 1024

    /// What the first piece reserves: all of it when one piece is asked for (the previous size is
    /// the best guess), else one piece.
    private static func capacity(chunkSize: Int, expectedSize: Int) -> Int {
        Swift.min(chunkSize, Swift.max(expectedSize, 64 * 1024)) + overshoot
    }
}
