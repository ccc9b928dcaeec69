#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import WatchCore

/// Resolves host names with `getaddrinfo` on a few dedicated threads, so that a slow resolver never
/// blocks Swift's cooperative pool or the event loop.
///
/// `getaddrinfo` cannot be cancelled; a lookup that outlives its probe's deadline keeps its thread
/// until it returns, and its answer is dropped. The deadline itself is enforced by a timer on the
/// reactor, so the probe returns on time whatever the resolver does.
final class HostResolver: @unchecked Sendable {
    // @unchecked: the semaphore is only used through sem_post/sem_wait, which are thread-safe; all
    // other state is behind the Mutex.

    private struct Lookup {
        var host: String
        var family: IPFamily?
        var deadline: MonotonicInstant
        var answer: OneShotContinuation<Result<[IPAddress], AddressLookupError>>
    }

    private struct Queue {
        var lookups: [Lookup] = []
        var stopping = false
    }

    private let queue = Mutex(Queue())
    private let semaphore: UnsafeMutablePointer<sem_t>
    private let threadCount: Int
    private let threadsStarted = Mutex(false)

    /// Creates a resolver; its threads start at the first lookup.
    init(threads: Int) throws(SystemError) {
        threadCount = max(1, threads)
        semaphore = .allocate(capacity: 1)
        try Syscall.semaphoreInit(semaphore)
    }

    /// Resolves `host` within `deadline`, restricted to `family` when given. `nil` means the deadline
    /// passed first.
    func resolve(_ host: String, family: IPFamily?, deadline: MonotonicInstant, reactor: Reactor)
        async -> Result<[IPAddress], AddressLookupError>?
    {
        do {
            try startThreadsIfNeeded()
        } catch {
            return .failure(AddressLookupError(message: "cannot start a resolver thread: \(error)", isNoSuchName: false))
        }
        return await withCheckedContinuation { continuation in
            let answer = OneShotContinuation(continuation)
            queue.withLock { $0.lookups.append(Lookup(host: host, family: family, deadline: deadline, answer: answer)) }
            Syscall.semaphorePost(semaphore)
            let timerScheduled = reactor.execute { loop in
                loop.schedule(at: deadline) { answer.resume(with: nil) }
            }
            if !timerScheduled { answer.resume(with: nil) }
        }
    }

    /// Lets the threads exit once the lookups queued so far are answered.
    func shutdown() {
        queue.withLock { $0.stopping = true }
        for _ in 0..<threadCount { Syscall.semaphorePost(semaphore) }
    }

    private func startThreadsIfNeeded() throws(SystemError) {
        let mustStart = threadsStarted.withLock { started -> Bool in
            defer { started = true }
            return !started
        }
        guard mustStart else { return }
        for _ in 0..<threadCount {
            try Syscall.spawnDetachedThread { [self] in serve() }
        }
    }

    private func serve() {
        while true {
            Syscall.semaphoreWait(semaphore)
            let (next, stopping) = queue.withLock { queue in
                (queue.lookups.isEmpty ? nil : queue.lookups.removeFirst(), queue.stopping)
            }
            guard let lookup = next else {
                if stopping { return }
                continue
            }
            // A lookup whose probe already timed out is not worth a thread.
            guard MonotonicInstant.now < lookup.deadline else {
                lookup.answer.resume(with: nil)
                continue
            }
            let family = lookup.family?.addressFamily ?? AF_UNSPEC
            lookup.answer.resume(with: Syscall.resolve(host: lookup.host, family: family))
        }
    }
}

/// A continuation that several parties race to resume; only the first one counts.
final class OneShotContinuation<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value?, Never>?>

    init(_ continuation: CheckedContinuation<Value?, Never>) {
        self.continuation = Mutex(continuation)
    }

    /// Resumes the waiter with `value` unless someone already did.
    func resume(with value: Value?) {
        let waiter = continuation.withLock { slot -> CheckedContinuation<Value?, Never>? in
            defer { slot = nil }
            return slot
        }
        waiter?.resume(returning: value)
    }
}
