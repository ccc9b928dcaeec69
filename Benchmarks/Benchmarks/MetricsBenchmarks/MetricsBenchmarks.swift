import Benchmark
import Foundation
import LiveMetrics
import Synchronization
import WatchCore

// The live metrics of `ispwatch run` (Sources/LiveMetrics) at the scale the daemon is built for:
// the cost of `record` per finished probe, and the time and size of one `/metrics` exposition of
// 100,000 series, with the default latency histogram (11 buckets) and without one. Series are a
// mix of the four kinds (DNS, HTTP, TCP, ICMP) over 20 providers, one in twenty failing.

let benchmarks: @Sendable () -> Void = {
    recordBenchmark()
    recordWhileRenderingBenchmark()
    renderBenchmark(series: 100_000, buckets: ProbeMetrics.defaultLatencyBuckets, name: "default 11-bucket histogram")
    renderBenchmark(series: 100_000, buckets: [.milliseconds(10), .milliseconds(50), .milliseconds(250), .seconds(1)],
                    name: "4-bucket histogram")
    renderBenchmark(series: 100_000, buckets: [], name: "no histogram")
    renderBenchmark(series: 10_000, buckets: ProbeMetrics.defaultLatencyBuckets, name: "default 11-bucket histogram")
    streamBenchmark()
}

/// The exposition's size in KiB (custom metrics are integers).
var expositionKiB: BenchmarkMetric {
    BenchmarkMetric.custom("exposition KiB", polarity: .prefersSmaller, useScalingFactor: false)
}

/// (1) One million `record` calls over 100,000 series already in the registry (the steady state:
/// every series seen once): with the `.mega` scaling factor every figure is per call.
func recordBenchmark() {
    Benchmark(
        "record 1M results over 100k series",
        configuration: .init(
            metrics: [.wallClock, .throughput, .cpuTotal, .mallocCountTotal],
            timeUnits: .nanoseconds, scalingFactor: .mega, maxDuration: .seconds(10), maxIterations: 10),
        closure: { (benchmark: Benchmark, fixture: SeriesFixture) in
            let metrics = ProbeMetrics()
            fixture.recordOnce(into: metrics)
            let count = fixture.numbers.count
            benchmark.startMeasurement()
            for index in benchmark.scaledIterations {
                let series = index % count
                metrics.record(fixture.results[series], series: fixture.numbers[series], labels: fixture.labels[series])
            }
            benchmark.stopMeasurement()
            precondition(metrics.seriesCount == count)
        },
        setup: { SeriesFixture(count: 100_000) })
}

/// The slowest `record` call, in microseconds.
var slowestRecordMicroseconds: BenchmarkMetric {
    BenchmarkMetric.custom("slowest record µs", polarity: .prefersSmaller, useScalingFactor: false)
}

/// (1b) `record` calls on one thread while another renders 100,000 series: a render holds the lock
/// only to take its snapshot, and the first `record` after it pays the copy-on-write of the series
/// array. The custom metric is the slowest call seen during the render.
func recordWhileRenderingBenchmark() {
    Benchmark(
        "record while rendering 100k series",
        configuration: .init(
            metrics: [.wallClock, slowestRecordMicroseconds], timeUnits: .milliseconds, maxDuration: .seconds(10),
            maxIterations: 5),
        closure: { (benchmark: Benchmark, fixture: SeriesFixture) in
            let metrics = ProbeMetrics()
            fixture.recordOnce(into: metrics)
            let rendered = Mutex(false)
            let renderer = Thread {
                blackHole(metrics.renderByteBuffer())
                rendered.withLock { $0 = true }
            }
            let clock = ContinuousClock()
            var slowest = Duration.zero
            var index = 0
            renderer.start()
            benchmark.startMeasurement()
            while !rendered.withLock({ $0 }) {
                let series = index % fixture.numbers.count
                let started = clock.now
                metrics.record(fixture.results[series], series: fixture.numbers[series], labels: fixture.labels[series])
                slowest = max(slowest, clock.now - started)
                index += 1
            }
            benchmark.stopMeasurement()
            benchmark.measurement(slowestRecordMicroseconds, Int(slowest.components.seconds * 1_000_000
                + slowest.components.attoseconds / 1_000_000_000_000))
        },
        setup: { SeriesFixture(count: 100_000) })
}

/// (2) One render of `series` series, each recorded three times, into the `ByteBuffer` the server
/// sends (`render()` adds a copy into an array).
func renderBenchmark(series: Int, buckets: [Duration], name: String) {
    Benchmark(
        "render \(series / 1000)k series, \(name)",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, expositionKiB],
            timeUnits: .milliseconds, maxDuration: .seconds(10), maxIterations: 10),
        closure: { (benchmark: Benchmark, metrics: ProbeMetrics) in
            benchmark.startMeasurement()
            let exposition = metrics.renderByteBuffer()
            benchmark.stopMeasurement()
            benchmark.measurement(expositionKiB, exposition.readableBytes / 1024)
            blackHole(exposition)
        },
        setup: {
            let fixture = SeriesFixture(count: series)
            let metrics = ProbeMetrics(latencyBuckets: buckets)
            for _ in 0..<3 { fixture.recordOnce(into: metrics) }
            return metrics
        })
}

/// (3) The exposition of 100,000 series in the server's 256 KiB pieces, as `GET /metrics` sends it:
/// the same rendering, with memory bounded by one piece instead of the whole text.
func streamBenchmark() {
    Benchmark(
        "stream 100k series in 256 KiB pieces, default 11-bucket histogram",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, expositionKiB],
            timeUnits: .milliseconds, maxDuration: .seconds(10), maxIterations: 10),
        closure: { (benchmark: Benchmark, metrics: ProbeMetrics) in
            var bytes = 0
            benchmark.startMeasurement()
            for piece in metrics.exposition() { bytes += piece.readableBytes }
            benchmark.stopMeasurement()
            benchmark.measurement(expositionKiB, bytes / 1024)
        },
        setup: {
            let fixture = SeriesFixture(count: 100_000)
            let metrics = ProbeMetrics()
            for _ in 0..<3 { fixture.recordOnce(into: metrics) }
            return metrics
        })
}
