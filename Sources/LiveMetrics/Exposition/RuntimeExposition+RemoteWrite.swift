extension RuntimeExposition {
    /// The remote-write families (`ispwatch_remote_write_*`), after the runtime ones.
    static func write(_ figures: RemoteWriteFigures, into buffer: inout ExpositionBuffer) {
        let none: [UInt8] = []
        buffer.begin(remoteWriteSamples)
        buffer.sample(labels: none, extra: sentOutcome, UInt64(clamping: figures.samplesSent))
        buffer.sample(labels: none, extra: refusedOutcome, UInt64(clamping: figures.samplesRefused))
        buffer.sample(labels: none, extra: droppedOutcome, UInt64(clamping: figures.samplesDropped))
        buffer.begin(remoteWriteRetries)
        buffer.sample(labels: none, UInt64(clamping: figures.retries))
        buffer.begin(remoteWriteQueueBytes)
        buffer.sample(labels: none, UInt64(clamping: figures.queueBytes))
        buffer.begin(remoteWriteSamplesWaiting)
        buffer.sample(labels: none, UInt64(clamping: figures.samplesWaiting))
        buffer.begin(remoteWriteOldestAge)
        buffer.sample(labels: none, figures.oldestWaitingAge?.seconds ?? 0)
        if let success = figures.lastSuccess {
            buffer.begin(remoteWriteLastSuccess)
            buffer.sample(labels: none, success.secondsSinceEpoch)
        }
    }

    private static let remoteWriteSamples = MetricFamily(
        "ispwatch_remote_write_samples_total", .counter,
        help: "Remote-write samples by outcome: sent (accepted), refused (a 4xx other than 429; dropped), dropped (queue full).")
    private static let remoteWriteRetries = MetricFamily(
        "ispwatch_remote_write_retries_total", .counter, help: "Remote-write POSTs that failed with 5xx, 429 or a network error and were retried.")
    private static let remoteWriteQueueBytes = MetricFamily(
        "ispwatch_remote_write_queue_bytes", .gauge, help: "Bytes the remote-write queue takes on disk.")
    private static let remoteWriteSamplesWaiting = MetricFamily(
        "ispwatch_remote_write_samples_waiting", .gauge, help: "Remote-write samples not yet sent, on disk or in memory.")
    private static let remoteWriteOldestAge = MetricFamily(
        "ispwatch_remote_write_oldest_queued_age_seconds", .gauge,
        help: "How old the oldest waiting remote-write sample is; 0 when none waits.")
    private static let remoteWriteLastSuccess = MetricFamily(
        "ispwatch_remote_write_last_success_timestamp_seconds", .gauge,
        help: "When a remote-write POST last succeeded, in Unix seconds.")

    private static let sentOutcome = ExpositionText.label("outcome", "sent")
    private static let refusedOutcome = ExpositionText.label("outcome", "refused")
    private static let droppedOutcome = ExpositionText.label("outcome", "dropped")
}
