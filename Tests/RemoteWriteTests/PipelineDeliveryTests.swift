import Foundation
import Logging
import Testing
import WatchCore

@testable import RemoteWrite

/// The pipeline (queue writer + libcurl sender) against a real Prometheus.
@Suite(.serialized) struct PipelineDeliveryTests {
    @Test func everySampleArrivesAndTheSustainedRateIsMeasured() async throws {
        let prometheus = try await PrometheusReceiver()
        let queue = try TemporaryDirectory()
        let pipeline = try RemoteWritePipeline(
            settings: RemoteWriteSettings(url: prometheus.writeURL, flushInterval: .milliseconds(100), syncEveryAppend: false),
            directory: queue.path, logger: Logger(label: "test"))
        // 1,000 series × 200 samples, 1 s apart, ending a minute ago; each series oldest first.
        let series = 1_000, perSeries = 200
        let end = Int64(Date().timeIntervalSince1970 * 1000) - 60_000
        let start = ContinuousClock.now
        try await running(pipeline) {
            for step in 0..<perSeries {
                let time = end - Int64(perSeries - step) * 1000
                pipeline.submit((0..<series).map { index in
                    RemoteSample(labels: [RemoteLabel("__name__", "bench_value"), RemoteLabel("series", "s\(index)"),
                                          RemoteLabel("vantage", "bench")],
                                 value: Double(step), timestampMilliseconds: time)
                })
            }
            try await waitUntil(seconds: 60) { pipeline.figures.samplesSent == Int64(series * perSeries) }
        }
        let elapsed = ContinuousClock.now - start
        let rate = Double(series * perSeries) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        print("remote-write throughput: \(series * perSeries) samples in \(elapsed): \(Int(rate)) samples/s")
        #expect(pipeline.figures.samplesWaiting == 0)
        #expect(pipeline.figures.samplesDropped == 0)
        let received = try await prometheus.total("count(count_over_time(bench_value[30m]))", at: Double(end) / 1000 + 1)
        #expect(received == Double(series))
        let samples = try await prometheus.total("sum(count_over_time(bench_value[30m]))", at: Double(end) / 1000 + 1)
        #expect(samples == Double(series * perSeries))
    }

    @Test func batchTheReceiverRefusesIsDroppedCountedAndTheQueueMovesOn() async throws {
        let prometheus = try await PrometheusReceiver()
        let queue = try TemporaryDirectory()
        let pipeline = try RemoteWritePipeline(
            settings: RemoteWriteSettings(url: prometheus.writeURL, batchSamples: 1, flushInterval: .milliseconds(50),
                                          syncEveryAppend: false),
            directory: queue.path, logger: Logger(label: "test"))
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let labels = [RemoteLabel("__name__", "refusal_probe")]
        try await running(pipeline) {
            pipeline.submit([RemoteSample(labels: labels, value: 1, timestampMilliseconds: now)])
            try await waitUntil(seconds: 10) { pipeline.figures.samplesSent == 1 }
            // Older than the newest sample of its series: Prometheus answers 400 (out of order).
            pipeline.submit([RemoteSample(labels: labels, value: 2, timestampMilliseconds: now - 10_000)])
            pipeline.submit([RemoteSample(labels: labels, value: 3, timestampMilliseconds: now + 1_000)])
            try await waitUntil(seconds: 10) { pipeline.figures.samplesSent == 2 }
        }
        #expect(pipeline.figures.samplesRefused == 1)
        #expect(pipeline.figures.retries == 0, "a 400 is never retried")
    }

    @Test func unreachableReceiverIsRetriedWithoutLossUntilItAnswers() async throws {
        let queue = try TemporaryDirectory()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let samples = (0..<50).map {
            RemoteSample(labels: [RemoteLabel("__name__", "retry_probe")], value: Double($0), timestampMilliseconds: now - 50_000 + Int64($0) * 1000)
        }
        // First run: nothing listens; everything waits in the queue on disk.
        do {
            let pipeline = try RemoteWritePipeline(
                settings: RemoteWriteSettings(url: "http://127.0.0.1:9/api/v1/write", batchSamples: 10,
                                              flushInterval: .milliseconds(50), minimumBackoff: .milliseconds(20),
                                              maximumBackoff: .milliseconds(100), drainTimeout: .milliseconds(300)),
                directory: queue.path, logger: Logger(label: "test"))
            try await running(pipeline) {
                pipeline.submit(samples)
                try await waitUntil(seconds: 10) { pipeline.figures.retries >= 3 }
            }
            #expect(pipeline.figures.samplesSent == 0)
            #expect(pipeline.figures.samplesWaiting == 50)
        }
        // Second run, same queue, a receiver now: the waiting batches go, in order, none lost.
        let prometheus = try await PrometheusReceiver()
        let pipeline = try RemoteWritePipeline(
            settings: RemoteWriteSettings(url: prometheus.writeURL, batchSamples: 10, flushInterval: .milliseconds(50)),
            directory: queue.path, logger: Logger(label: "test"))
        #expect(pipeline.figures.samplesWaiting == 50)
        try await running(pipeline) {
            try await waitUntil(seconds: 10) { pipeline.figures.samplesSent == 50 }
        }
        #expect(try await prometheus.total("count_over_time(retry_probe[5m])", at: Double(now) / 1000) == 50)
    }

    // MARK: - Helpers

    /// Runs the pipeline's two threads around `body`, then stops them and waits for both.
    private func running(_ pipeline: RemoteWritePipeline, _ body: () async throws -> Void) async throws {
        let writer = Thread { pipeline.runWriter() }
        let sender = Thread { pipeline.runSender() }
        writer.start()
        sender.start()
        defer { pipeline.stop() }
        try await body()
        pipeline.stop()
        while !writer.isFinished || !sender.isFinished { try await Task.sleep(for: .milliseconds(10)) }
    }

    private func waitUntil(seconds: Int, _ condition: () -> Bool) async throws {
        for _ in 0..<(seconds * 50) {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("condition not met within \(seconds) s")
    }
}
