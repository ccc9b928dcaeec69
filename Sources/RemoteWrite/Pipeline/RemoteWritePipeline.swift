import Dispatch
import LiveMetrics
import Logging
import Synchronization
import WatchCore

/// Remote-write from one `ispwatch run`: probe results become samples (``submit(_:)``, never
/// blocking), a writer thread batches them into the bounded on-disk queue every flush interval, and
/// a sender thread POSTs the queue's batches in order, retrying with backoff on 5xx, 429 and network
/// errors and dropping (counted) what the receiver refuses for good.
///
/// Run ``runWriter()`` and ``runSender()`` on two dedicated threads (they block); ``stop()`` makes
/// the writer flush what is pending and return, and the sender send until the queue is empty or
/// the drain timeout passed. What is left stays on disk for the next start.
public final class RemoteWritePipeline: Sendable {
    /// The settings in force.
    public let settings: RemoteWriteSettings
    private let logger: Logger
    private let now: @Sendable () -> Timestamp
    private let pending: Mutex<PendingSamples>
    private let queue: Mutex<DiskQueue>
    private let counters = Mutex(RemoteWriteFigures())
    private let lifecycle = Mutex(Lifecycle())
    private let writerWake = DispatchSemaphore(value: 0)
    private let senderWake = DispatchSemaphore(value: 0)
    private let stopWake = DispatchSemaphore(value: 0)
    /// Made at once, so that a bad URL or an unreadable credential file fails the start, and handed
    /// to the sender thread, the only one to use it.
    private let poster: Mutex<CurlPoster?>
    /// What recovery found in the queue directory.
    public let recoveryDescription: String?

    private struct Lifecycle {
        var drainDeadline: ContinuousClock.Instant?
        var writerFinished = false
    }

    /// Opens the queue under `directory` (created if missing), recovering what a previous run left.
    ///
    /// - Parameters:
    ///   - settings: the receiver and the queue's bounds.
    ///   - directory: the queue's own directory, `DATA/remote-write`.
    ///   - logger: where failures and recoveries are logged.
    ///   - now: the wall clock, for the last success time and the oldest sample's age.
    /// - Throws: ``QueueError`` when the directory or a segment cannot be read or written,
    ///   ``PosterError`` when libcurl refuses the URL or a credential file cannot be read.
    public init(settings: RemoteWriteSettings, directory: String, logger: Logger,
                now: @escaping @Sendable () -> Timestamp = WallClock.now) throws
    {
        self.settings = settings
        self.logger = logger
        self.now = now
        pending = Mutex(PendingSamples(capacity: max(settings.batchSamples * 20, 200_000)))
        let queue = try DiskQueue(directory: directory, maximumBytes: settings.queueMaximumBytes,
                                  syncEveryAppend: settings.syncEveryAppend)
        let recovery = queue.recovery
        recoveryDescription = recovery == DiskQueue.Recovery() ? nil
            : "\(recovery.batchesWaiting) batches waiting, \(recovery.bytesCut) torn bytes cut, "
                + "\(recovery.segmentsDiscarded) damaged segments discarded"
        self.queue = Mutex(queue)
        poster = Mutex(try CurlPoster(settings: settings))
    }

    // MARK: - Feeding

    /// Hands in samples to send; returns at once (a lock and an array append).
    public func submit(_ samples: [RemoteSample]) {
        let backlog = pending.withLock { pending in
            pending.append(samples)
            return pending.samples.count
        }
        if backlog >= settings.batchSamples { writerWake.signal() }
    }

    /// Hands in the samples of `result` (see ``ProbeSamples``).
    public func submit(_ result: ProbeResult, labels: SeriesLabels) {
        submit(ProbeSamples.samples(of: result, labels: labels))
    }

    // MARK: - Figures

    /// The figures for `/metrics`.
    public var figures: RemoteWriteFigures {
        var figures = counters.withLock { $0 }
        let (pendingCount, pendingOldest) = pending.withLock { ($0.samples.count, $0.oldestMilliseconds) }
        let (bytes, waiting, queueOldest) = queue.withLock { ($0.bytes, $0.samplesWaiting, $0.oldestWaitingMilliseconds) }
        figures.queueBytes = Int64(bytes)
        figures.samplesWaiting = Int64(waiting + pendingCount)
        if let oldest = [pendingOldest, queueOldest].compactMap({ $0 }).min() {
            let age = now().nanosecondsSinceEpoch / 1_000_000 - oldest
            figures.oldestWaitingAge = .milliseconds(max(age, 0))
        }
        return figures
    }

    // MARK: - Running

    /// Asks both threads to finish: the writer flushes, the sender drains for at most the settings'
    /// drain timeout.
    public func stop() {
        lifecycle.withLock { $0.drainDeadline = .now + settings.drainTimeout }
        writerWake.signal()
        stopWake.signal()
        senderWake.signal()
    }

    /// The writer thread's loop: every flush interval (or as soon as a batch is pending), the pending
    /// samples go to the queue in batches. Returns after ``stop()``, once everything pending is on disk.
    public func runWriter() {
        let interval = DispatchTimeInterval.nanoseconds(Int(clamping: settings.flushInterval.nanoseconds))
        while true {
            let stopping = lifecycle.withLock { $0.drainDeadline != nil }
            if !stopping { _ = writerWake.wait(timeout: .now() + interval) }
            writePending()
            if stopping {
                queue.withLock { queue in
                    do { try queue.sync() } catch { logger.error("remote-write queue sync failed", metadata: ["remote_write.error": "\(error)"]) }
                }
                lifecycle.withLock { $0.writerFinished = true }
                senderWake.signal()
                return
            }
        }
    }

    /// The sender thread's loop: POSTs the queue's batches in order. Returns after ``stop()`` once
    /// the queue is empty or the drain timeout passed.
    public func runSender() {
        guard let poster = poster.withLock({ $0.take() }) else { return }
        let backoff = RetryBackoff(minimum: settings.minimumBackoff, maximum: settings.maximumBackoff)
        var random = SystemRandomNumberGenerator()
        var failures = 0
        while true {
            let (deadline, writerFinished) = lifecycle.withLock { ($0.drainDeadline, $0.writerFinished) }
            if let deadline, ContinuousClock.now >= deadline { return }
            guard let batch = nextBatch() else {
                if writerFinished { return }
                _ = senderWake.wait(timeout: .now() + .milliseconds(100))
                continue
            }
            switch poster.post(batch.record.payload) {
            case .delivered:
                queue.withLock { $0.acknowledge(batch.position) }
                let time = now()
                counters.withLock {
                    $0.samplesSent += Int64(batch.record.samples)
                    $0.lastSuccess = time
                }
                if failures > 0 { logger.notice("remote-write receiver accepts again", metadata: ["remote_write.failures": "\(failures)"]) }
                failures = 0
            case .refused(let status, let message):
                queue.withLock { $0.acknowledge(batch.position) }
                counters.withLock { $0.samplesRefused += Int64(batch.record.samples) }
                logger.error("remote-write batch refused, dropped", metadata: [
                    "remote_write.status": "\(status)", "remote_write.message": "\(message)",
                    "remote_write.samples": "\(batch.record.samples)"])
            case .retryable(let reason):
                failures += 1
                counters.withLock { $0.retries += 1 }
                if failures == 1 || failures.isMultiple(of: 20) {
                    logger.warning("remote-write POST failed, retrying", metadata: [
                        "remote_write.reason": "\(reason)", "remote_write.failures": "\(failures)"])
                }
                var delay = backoff.delay(afterFailures: failures, using: &random)
                if let deadline = lifecycle.withLock({ $0.drainDeadline }) {
                    delay = min(delay, max(.zero, deadline - ContinuousClock.now))
                }
                if stopWake.wait(timeout: .now() + .nanoseconds(Int(clamping: delay.nanoseconds))) == .success {
                    // Stopping: from now on each wait is cut to the drain deadline (computed above).
                    stopWake.signal()
                }
            }
        }
    }

    // MARK: - Private

    /// Moves the pending samples to the queue, a batch per record.
    private func writePending() {
        let (samples, droppedInMemory) = pending.withLock { $0.take() }
        var dropped = droppedInMemory
        var start = samples.startIndex
        while start < samples.endIndex {
            let end = min(start + max(settings.batchSamples, 1), samples.endIndex)
            let batch = Array(samples[start..<end])
            let record = QueueRecord(payload: WriteRequestEncoding.body(batch), samples: batch.count,
                                     oldestMilliseconds: batch.lazy.map(\.timestampMilliseconds).min() ?? 0)
            do {
                dropped += try queue.withLock { queue throws(QueueError) in try queue.append(record) }.droppedSamples
            } catch {
                dropped += batch.count
                logger.error("remote-write queue append failed, batch dropped", metadata: ["remote_write.error": "\(error)"])
            }
            start = end
        }
        if dropped > 0 {
            counters.withLock { $0.samplesDropped += Int64(dropped) }
            logger.warning("remote-write samples dropped: queue full", metadata: ["remote_write.dropped": "\(dropped)"])
        }
        if !samples.isEmpty { senderWake.signal() }
    }

    /// The queue's first batch; one that cannot be read is skipped (counted as dropped).
    private func nextBatch() -> DiskQueue.Batch? {
        queue.withLock { queue in
            do {
                return try queue.peek()
            } catch {
                logger.error("remote-write queue read failed, batch skipped", metadata: ["remote_write.error": "\(error)"])
                let skipped = queue.skipHead()
                counters.withLock { $0.samplesDropped += Int64(skipped) }
                return nil
            }
        }
    }
}
