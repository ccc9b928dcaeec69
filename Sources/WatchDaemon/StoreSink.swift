import Dispatch
import Foundation
import Logging
import SeriesStore
import Synchronization
import WatchCore

/// Hands results to the store on a thread of its own, so that a slow disk (an fsync, a full disk)
/// never delays a probe, and keeps probing going when the store fails.
///
/// The probe loop calls ``submit(_:)``, which only appends to a buffer under a lock. The sink's
/// thread moves the buffer into the ``StoreWriter`` and flushes it on the writer's policy. When
/// writing fails (disk full, I/O error), the writer keeps what it could not write and retries on
/// the next turn; results keep arriving into the buffer up to ``maximumBacklog``, and only results
/// beyond it are dropped — counted in ``Statistics/lost`` and logged, never silently.
public final class StoreSink: Sendable {
    /// What the sink did so far.
    public struct Statistics: Sendable, Hashable {
        /// Results submitted.
        public var submitted: UInt64 = 0
        /// Results the writer has made durable.
        public var flushed: UInt64 = 0
        /// Results dropped because the backlog was full while the store failed.
        public var lost: UInt64 = 0
        /// Failed writes or flushes.
        public var writeErrors: UInt64 = 0
        /// Results waiting to be written (buffered here and in the writer).
        public var backlog: Int = 0
        /// The last write error, while the store is failing; `nil` once a flush succeeds again.
        public var currentError: String?
    }

    private struct State {
        var incoming: [StoredResult] = []
        var statistics = Statistics()
        var stopping = false
    }

    /// The writer results go to.
    public let writer: StoreWriter
    /// The most results held while the store cannot write; beyond it results are dropped and counted.
    public let maximumBacklog: Int
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private let turnInterval: Duration
    private let logger: Logger

    /// Starts a sink writing to `writer`.
    ///
    /// - Parameters:
    ///   - maximumBacklog: results kept in memory while writes fail (about 60 bytes each).
    ///   - turnInterval: how often the thread moves results to the writer and flushes.
    public init(writer: StoreWriter, maximumBacklog: Int = 2_000_000, turnInterval: Duration = .milliseconds(200),
                logger: Logger) {
        self.writer = writer
        self.maximumBacklog = maximumBacklog
        self.turnInterval = turnInterval
        self.logger = logger
        let thread = Thread { [self] in self.runThread() }
        thread.name = "ispwatch-store-sink"
        thread.start()
    }

    /// Queues a result for the store. Never blocks on I/O.
    public func submit(_ result: StoredResult) {
        // The lost count after this result, when it was dropped.
        let lost = state.withLock { state -> UInt64? in
            state.statistics.submitted += 1
            guard state.statistics.backlog < maximumBacklog else {
                state.statistics.lost += 1
                return state.statistics.lost
            }
            state.incoming.append(result)
            state.statistics.backlog += 1
            return nil
        }
        if let lost, lost & 0xFFF == 1 {
            logger.error("store backlog full: dropping results", metadata: [
                "store.directory": "\(writer.directory)", "store.lost": "\(lost)"])
        }
    }

    /// A copy of the statistics.
    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Writes out everything submitted, stops the thread and closes the writer.
    ///
    /// - Throws: `StoreError` when the final flush fails; what could not be written is counted lost.
    public func close() throws(StoreError) {
        state.withLock { $0.stopping = true }
        wake.signal()
        stopped.wait()
        do {
            try writer.close()
        } catch {
            state.withLock { $0.statistics.lost += UInt64($0.statistics.backlog) }
            throw error
        }
    }

    // MARK: - The thread

    private func runThread() {
        while true {
            _ = wake.wait(timeout: .now() + .nanoseconds(Int(turnInterval.nanoseconds)))
            let (batch, stopping) = state.withLock { state in
                defer { state.incoming.removeAll(keepingCapacity: true) }
                return (state.incoming, state.stopping)
            }
            writeTurn(batch)
            if stopping { break }
        }
        stopped.signal()
    }

    private func writeTurn(_ batch: [StoredResult]) {
        do {
            // The writer is opened with a flush threshold it never reaches (``storeOptions(_:)``), so
            // appending only buffers; a failed flush keeps the writer's buffer for the next turn, so
            // nothing appended is lost or written twice.
            try writer.append(contentsOf: batch)
        } catch {
            state.withLock { $0.statistics.lost += UInt64(batch.count) }
            logger.error("store closed: results dropped", metadata: [
                "store.directory": "\(writer.directory)", "store.dropped": "\(batch.count)"])
            return
        }
        var failure: StoreError?
        do {
            try writer.flush()
        } catch {
            failure = error
        }
        let flushed = writer.flushedCount
        let (previousError, firstFailure) = state.withLock { state -> (String?, Bool) in
            var statistics = state.statistics
            defer { state.statistics = statistics }
            statistics.flushed = flushed
            statistics.backlog = Int(clamping: statistics.submitted &- statistics.lost &- flushed)
            let previous = statistics.currentError
            if let failure {
                statistics.writeErrors += 1
                statistics.currentError = "\(failure)"
            } else {
                statistics.currentError = nil
            }
            return (previous, previous == nil)
        }
        if let failure, firstFailure {
            logger.error("store write failed; retrying, results are kept in memory", metadata: [
                "store.directory": "\(writer.directory)", "store.error": "\(failure)"])
        } else if failure == nil, let previousError {
            logger.notice("store writes again", metadata: [
                "store.directory": "\(writer.directory)", "store.previous_error": "\(previousError)"])
        }
    }

    /// The writer options the sink relies on: `base` with a flush threshold no append reaches, so
    /// that appending never does I/O and flushing is the sink's (and the writer's timer's) job.
    public static func storeOptions(_ base: StoreOptions = StoreOptions()) -> StoreOptions {
        var options = base
        options.flushRecordCount = Int.max / 2
        return options
    }
}
