import NIOCore
import Synchronization
import WatchCore

/// The live metrics of `ispwatch run`: the latest result, counters and latency histogram of every
/// series, and the daemon's runtime figures, rendered in the Prometheus text format 0.0.4.
///
/// Per-series gauges use blackbox_exporter's names and `phase` values (`probe_success`,
/// `probe_http_duration_seconds{phase="tls"}`, …) so that existing dashboards work; what
/// blackbox_exporter lacks (`probe_dns_rcode`, `probe_failure_info`, counters, histograms) is added
/// beside them. Every per-series sample carries the ``SeriesLabels``.
///
/// Safe to use from any thread. ``record(_:series:labels:)`` takes the registry's lock for a
/// dictionary lookup, then the series' own lock for a few stores; a render copies the series one at
/// a time under their own locks and renders outside every lock.
public final class ProbeMetrics: Sendable {
    /// The latency histogram's default bucket bounds: Prometheus' default buckets, 5 ms to 10 s.
    /// 50 ms is among them: the latency limit QCVN 34 sets for fixed broadband.
    public static let defaultLatencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// The bounds of `ispwatch_probe_latency_seconds`, sorted; empty when no histogram is kept.
    public var latencyBuckets: [Duration] { buckets.bounds }

    let buckets: LatencyBuckets
    private let registry = Mutex(SeriesRegistry())
    private let runtime = Mutex(RuntimeSnapshot())
    /// The size of the previous exposition, to reserve the next one's buffer in one allocation.
    private let lastRenderSize = Mutex(0)

    /// Creates an empty registry.
    ///
    /// - Parameter latencyBuckets: the upper bounds of the per-series latency histogram. Each bound
    ///   adds one sample per series to every scrape; pass `[]` to keep no histogram at all (at
    ///   100,000 series the histogram is most of the exposition). Sorted and deduplicated; bounds
    ///   that are not positive are dropped.
    public init(latencyBuckets: [Duration] = ProbeMetrics.defaultLatencyBuckets) {
        buckets = LatencyBuckets(latencyBuckets)
    }

    // MARK: - Recording

    /// Records one finished probe of `series`.
    ///
    /// - Parameters:
    ///   - result: the probe's result; a failed probe is counted per failure reason, a successful
    ///     one is also observed by the latency histogram.
    ///   - series: the number of the series the result belongs to (the daemon passes the store's
    ///     series id); one number, one series, one label set.
    ///   - labels: the series' labels; pass the same value every time (a change re-renders them).
    public func record(_ result: ProbeResult, series: UInt32, labels: SeriesLabels) {
        let observation = ProbeObservation(result)
        let bucketCount = buckets.bounds.count
        let latencyBucket = result.success && bucketCount > 0 ? buckets.bucket(for: result.duration) : nil
        let cell = registry.withLock { registry in
            registry.cell(for: series) {
                SeriesCell(number: series, SeriesMetrics(labels: labels, first: observation,
                                                      latencyBucketCount: bucketCount))
            }
        }
        cell.metrics.withLock { metrics in
            metrics.record(observation, labels: labels, latencyBucket: latencyBucket)
        }
    }

    /// Forgets every series whose number `keeps` refuses, after a configuration reload removed
    /// them, so that their last values stop being exported.
    ///
    /// A result recorded later for a removed series brings it back with fresh counters: call this
    /// after the scheduler has stopped probing the removed series.
    public func retainOnly(where keeps: (UInt32) -> Bool) {
        registry.withLock { $0.retainOnly(where: keeps) }
    }

    /// Forgets every series not in `series`; see ``retainOnly(where:)``.
    public func retainOnly(_ series: Set<UInt32>) {
        retainOnly { series.contains($0) }
    }

    /// Replaces the daemon's runtime figures with `snapshot`.
    public func update(_ snapshot: RuntimeSnapshot) {
        runtime.withLock { $0 = snapshot }
    }

    /// The number of series with metrics.
    public var seriesCount: Int {
        registry.withLock { $0.cells.count }
    }

    // MARK: - Rendering

    /// The whole exposition in the Prometheus text format 0.0.4 (UTF-8): the per-series families
    /// first, then the runtime families. Each family appears once, its samples contiguous, series in
    /// the order they were first recorded. A family with no sample is left out.
    ///
    /// Takes time and memory in proportion to the series (about 1 s and 400 MiB at 100,000 series
    /// with the default buckets): for many series, stream ``exposition(chunkSize:)`` instead, as the
    /// server does.
    public func render() -> [UInt8] {
        Array(renderByteBuffer().readableBytesView)
    }

    /// ``render()`` in one `ByteBuffer`, without the copy into an array.
    public func renderByteBuffer() -> ByteBuffer {
        var chunks = exposition(chunkSize: .max)
        let bytes = chunks.next() ?? ByteBuffer()
        lastRenderSize.withLock { $0 = bytes.readableBytes }
        return bytes
    }

    /// The exposition as pieces of about `chunkSize` bytes, rendered one at a time as they are
    /// asked for: what the server streams, so that memory stays at one piece however many series
    /// there are.
    ///
    /// The series are copied now (each under its own lock, one at a time, so recording goes on);
    /// results recorded later are not in this exposition.
    public func exposition(chunkSize: Int = 256 * 1024) -> ExpositionChunks {
        let series = registry.withLock { $0.cells }.map { cell in cell.metrics.withLock { $0 } }
        return ExpositionChunks(series: series, runtime: runtime.withLock { $0 }, buckets: buckets,
                                chunkSize: chunkSize, expectedSize: lastRenderSize.withLock { $0 })
    }

    /// ``render()`` as a string.
    public func renderText() -> String {
        String(decoding: render(), as: UTF8.self)
    }
}
