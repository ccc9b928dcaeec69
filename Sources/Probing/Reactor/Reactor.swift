#if canImport(Glibc)
import Glibc
#endif
import CSocketShim
import Synchronization

/// A small event loop on one dedicated thread: `epoll_wait` over the probers' sockets, a timer heap
/// for deadlines, and a submission queue that other threads hand work in through.
///
/// Work runs as jobs on the loop's thread (never on Swift's cooperative pool), so socket state needs
/// no locks; results leave by resuming continuations. Submitting appends to a `Mutex`-protected
/// queue and writes the eventfd only when the loop is (about to be) asleep in `epoll_wait`, so a
/// busy loop takes new work without a wake-up system call per probe.
///
/// Each prober (TCP, ICMP) owns one reactor rather than sharing one: on a 2-core machine the two
/// loops then run on both cores when both kinds of probes are busy, a burst of echoes never delays
/// the timing of a TCP handshake (or the reverse), and one prober's shutdown leaves the other alone.
/// A loop is one thread and one epoll descriptor, so the second costs next to nothing.
final class Reactor: @unchecked Sendable {
    // @unchecked: `loop` is only touched on the reactor thread; `inbox` is behind a Mutex; the
    // descriptors are immutable after init.

    /// Work for the loop's thread.
    typealias Job = @Sendable (ReactorLoop) -> Void

    private struct Inbox {
        var jobs: [Job] = []
        /// The loop will block in (or is in) `epoll_wait` with no job in sight; a submitter must wake it.
        var sleeping = false
        var stopping = false
        var exited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let inbox = Mutex(Inbox())
    private let epoll: Descriptor
    private let wakeup: Descriptor
    private let loop: ReactorLoop

    /// Opens the epoll instance and the wake-up eventfd and starts the loop's thread.
    init() throws(SystemError) {
        epoll = try Syscall.epollCreate()
        do {
            wakeup = try Syscall.eventDescriptor()
        } catch {
            Syscall.close(epoll)
            throw error
        }
        loop = ReactorLoop(epoll: epoll)
        do {
            try Syscall.epollAdd(epoll, wakeup, events: .input, token: ReactorLoop.wakeupToken)
            try Syscall.spawnDetachedThread { [self] in run() }
        } catch {
            Syscall.close(wakeup)
            Syscall.close(epoll)
            throw error
        }
    }

    /// Hands `job` to the loop's thread. Returns false, without running it, once the loop stops.
    @discardableResult
    func execute(_ job: @escaping Job) -> Bool {
        let (accepted, mustWake) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.stopping else { return (false, false) }
            inbox.jobs.append(job)
            let mustWake = inbox.sleeping
            inbox.sleeping = false
            return (true, mustWake)
        }
        if mustWake { wake() }
        return accepted
    }

    /// Stops the loop: every pending operation is completed by its shutdown handler, the loop's
    /// descriptors are closed and the thread exits. Returns when it has.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyExited = inbox.withLock { inbox -> Bool in
                if inbox.exited { return true }
                inbox.stopping = true
                inbox.exitWaiters.append(continuation)
                return false
            }
            if alreadyExited { continuation.resume() } else { wake() }
        }
    }

    /// Asks the loop to stop without waiting for it (for `deinit`).
    func requestStop() {
        let mustWake = inbox.withLock { inbox -> Bool in
            guard !inbox.stopping else { return false }
            inbox.stopping = true
            return true
        }
        if mustWake { wake() }
    }

    private func wake() {
        var one: UInt64 = 1
        // EAGAIN means the counter is already non-zero: the loop is being woken anyway.
        _ = try? withUnsafeBytes(of: &one) { (bytes) throws(SystemError) in try Syscall.write(wakeup, from: bytes) }
    }

    private func drainWakeup() {
        var counter: UInt64 = 0
        _ = try? withUnsafeMutableBytes(of: &counter) { (bytes) throws(SystemError) in
            try Syscall.read(wakeup, into: bytes)
        }
    }

    // MARK: - The loop

    private func run() {
        let capacity = 512
        let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        var jobs: [Job] = []
        jobs.reserveCapacity(256)

        while true {
            loop.refreshNow()
            loop.runDueTimers()
            let timeout = loop.millisecondsUntilNextTimer()
            let stop = inbox.withLock { inbox -> Bool in
                if inbox.stopping { return true }
                swap(&jobs, &inbox.jobs)
                inbox.sleeping = jobs.isEmpty && timeout != 0
                return false
            }
            if stop { break }
            for job in jobs { job(loop) }
            let waitFor: CInt = jobs.isEmpty ? timeout : 0
            jobs.removeAll(keepingCapacity: true)

            let ready: Int
            do {
                ready = try Syscall.epollWait(epoll, events, milliseconds: waitFor)
            } catch {
                // epoll_wait fails only for programming errors (EBADF, EFAULT, EINVAL); stop loudly
                // rather than spin, after completing every pending operation.
                break
            }
            loop.refreshNow()
            for index in 0..<ready {
                let event = events[index]
                let token = event.data.u64
                if token == ReactorLoop.wakeupToken {
                    drainWakeup()
                } else {
                    loop.dispatch(token: token, events: EpollEvents(rawValue: event.events))
                }
            }
        }
        finish()
    }

    private func finish() {
        let leftover = inbox.withLock { inbox -> [Job] in
            inbox.stopping = true
            let jobs = inbox.jobs
            inbox.jobs = []
            return jobs
        }
        // Jobs accepted before the stop still run, so their continuations are resumed by the
        // shutdown handlers they register.
        for job in leftover { job(loop) }
        loop.shutDown()
        Syscall.close(wakeup)
        Syscall.close(epoll)
        let waiters = inbox.withLock { inbox -> [CheckedContinuation<Void, Never>] in
            inbox.exited = true
            let waiters = inbox.exitWaiters
            inbox.exitWaiters = []
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// The loop's thread-confined state, handed to jobs: registrations, timers and the cached clock.
///
/// Only the reactor thread ever holds one; none of its methods may be called from elsewhere.
final class ReactorLoop {
    /// What happens when a registered descriptor is ready, and when the loop stops first.
    struct Registration {
        var descriptor: Descriptor
        var onEvents: (EpollEvents) -> Void
        var onShutdown: () -> Void
    }

    /// Identifies a registration, to forget it.
    struct Token: Hashable {
        fileprivate var rawValue: UInt64
    }

    fileprivate static let wakeupToken: UInt64 = 0

    private let epoll: Descriptor
    private var registrations: [UInt64: Registration] = [:]
    private var nextToken: UInt64 = 1
    private var timers = TimerHeap<() -> Void>()
    private var isShutDown = false

    /// The loop's clock, read once per iteration; call `refreshNow()` for a fresh reading.
    private(set) var now = MonotonicInstant.now

    fileprivate init(epoll: Descriptor) { self.epoll = epoll }

    /// Reads the clock again.
    @discardableResult
    func refreshNow() -> MonotonicInstant {
        now = .now
        return now
    }

    /// Watches `descriptor` for `events` until `forget` (or until it is closed after `forget`).
    func register(_ descriptor: Descriptor, events: EpollEvents, onEvents: @escaping (EpollEvents) -> Void,
                  onShutdown: @escaping () -> Void) throws(SystemError) -> Token
    {
        let token = nextToken
        nextToken += 1
        try Syscall.epollAdd(epoll, descriptor, events: events, token: token)
        registrations[token] = Registration(descriptor: descriptor, onEvents: onEvents, onShutdown: onShutdown)
        return Token(rawValue: token)
    }

    /// Forgets a registration. Closing the descriptor right after removes it from epoll as well, so
    /// `removeFromEpoll` is only needed for a descriptor that stays open.
    func forget(_ token: Token, removeFromEpoll: Bool = false) {
        guard let registration = registrations.removeValue(forKey: token.rawValue) else { return }
        if removeFromEpoll { try? Syscall.epollRemove(epoll, registration.descriptor) }
    }

    /// Runs `action` on the loop once `deadline` has passed.
    @discardableResult
    func schedule(at deadline: MonotonicInstant, _ action: @escaping () -> Void) -> TimerHeap<() -> Void>.ID {
        timers.schedule(at: deadline, action)
    }

    /// Cancels a timer that has not fired.
    func cancel(_ timer: TimerHeap<() -> Void>.ID) {
        timers.cancel(timer)
    }

    fileprivate func dispatch(token: UInt64, events: EpollEvents) {
        registrations[token]?.onEvents(events)
    }

    fileprivate func runDueTimers() {
        while let action = timers.popDue(at: now) { action() }
    }

    fileprivate func millisecondsUntilNextTimer() -> CInt {
        guard let deadline = timers.nextDeadline() else { return -1 }
        guard deadline > now else { return 0 }
        // Round up: waking a little late costs a few hundred microseconds of precision at most;
        // waking early would spin through zero-timeout waits until the deadline.
        let milliseconds = (deadline.nanoseconds - now.nanoseconds + 999_999) / 1_000_000
        return CInt(min(milliseconds, 60_000))
    }

    fileprivate func shutDown() {
        isShutDown = true
        let pending = registrations
        registrations.removeAll()
        timers.removeAll()
        for (_, registration) in pending { registration.onShutdown() }
    }
}
