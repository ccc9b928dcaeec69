import Dispatch
import Logging
import Synchronization
import WatchCore

/// Delivers the outbox's notifications to a receiver, retrying with backoff; owns the outbox.
///
/// ``enqueue(_:)`` returns once the notifications are on disk; ``deliverDue(now:)`` tries every
/// notification whose backoff has passed, one POST each, oldest first. Retry state is kept in memory:
/// after a restart every pending notification is tried at once, which is what a receiver that was
/// down wants anyway.
public actor AlertDispatcher {
    private struct Backoff {
        var failures: Int
        var notBefore: Timestamp
    }

    // The outbox's writes fsync and block their thread for milliseconds, so they run on this queue,
    // never on a thread of the cooperative pool; the mutex makes its state safe to read from both.
    private let outbox: Mutex<AlertOutbox>
    private let disk = DispatchQueue(label: "ispwatch.alert-outbox")
    private let receiver: any AlertReceiver
    private let retry: RetryPolicy
    private let logger: Logger
    private var backoff: [UInt64: Backoff] = [:]
    private var random = SystemRandomNumberGenerator()
    /// Notifications accepted by the receiver since start.
    public private(set) var delivered = 0
    /// Notifications refused for good and dropped since start.
    public private(set) var dropped = 0

    /// Creates a dispatcher; damaged outbox files found when it was opened are logged.
    public init(outbox: AlertOutbox, receiver: any AlertReceiver, retry: RetryPolicy = RetryPolicy(), logger: Logger) {
        self.outbox = Mutex(outbox)
        self.receiver = receiver
        self.retry = retry
        self.logger = logger
        for damage in outbox.damaged {
            logger.error("damaged outbox file set aside", metadata: ["outbox.damage": "\(damage)"])
        }
    }

    /// Writes `notifications` to the outbox (durably) for delivery.
    public func enqueue(_ notifications: [AlertNotification]) async throws(OutboxError) {
        try await onDisk { outbox throws(OutboxError) in
            for notification in notifications { try outbox.append(notification) }
        }
    }

    /// The notifications not yet accepted, oldest first.
    public var pending: [OutboxEntry] { outbox.withLock { $0.pending } }

    /// Runs `body` on the outbox, on the disk queue.
    private func onDisk(_ body: @escaping @Sendable (inout AlertOutbox) throws(OutboxError) -> Void) async throws(OutboxError) {
        let result: Result<Void, OutboxError> = await withCheckedContinuation { continuation in
            disk.async { [self] in
                continuation.resume(returning: self.outbox.withLock { outbox in Result { () throws(OutboxError) in try body(&outbox) } })
            }
        }
        try result.get()
    }

    private func remove(_ sequence: UInt64) async {
        try? await onDisk { $0.remove(sequence: sequence) }
    }

    /// Tries every pending notification whose backoff has passed at `now`; returns how many were
    /// accepted.
    @discardableResult
    public func deliverDue(now: Timestamp) async -> Int {
        var accepted = 0
        for entry in pending where backoff[entry.sequence].map({ $0.notBefore <= now }) ?? true {
            let outcome = await receiver.deliver(entry.notification, now: now)
            switch outcome {
            case .accepted:
                await remove(entry.sequence)
                backoff[entry.sequence] = nil
                delivered += 1
                accepted += 1
            case .rejected(let reason):
                logger.error("receiver refused a notification; dropped", metadata: [
                    "alert.key": "\(entry.notification.key)", "alert.receiver": "\(receiver.name)", "alert.reason": "\(reason)",
                ])
                await remove(entry.sequence)
                backoff[entry.sequence] = nil
                dropped += 1
            case .retry(let reason):
                let failures = (backoff[entry.sequence]?.failures ?? 0) + 1
                let wait = retry.delay(afterFailures: failures, using: &random)
                backoff[entry.sequence] = Backoff(failures: failures, notBefore: now.advanced(by: wait))
                logger.warning("delivery failed; will retry", metadata: [
                    "alert.key": "\(entry.notification.key)", "alert.receiver": "\(receiver.name)",
                    "alert.reason": "\(reason)", "alert.failures": "\(failures)",
                ])
            }
        }
        // Entries superseded while a POST was in flight leave no backoff behind.
        let still = Set(pending.map(\.sequence))
        backoff = backoff.filter { still.contains($0.key) }
        return accepted
    }

    /// Delivers until cancelled, looking at the outbox every `pollInterval` of `clock`, reading the
    /// time from `now`.
    public func run<C: Clock>(
        clock: C, pollInterval: C.Duration, now: @Sendable () -> Timestamp = WallClock.now
    ) async throws {
        while !Task.isCancelled {
            await deliverDue(now: now())
            try await clock.sleep(for: pollInterval)
        }
    }
}
