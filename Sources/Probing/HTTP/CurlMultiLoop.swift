internal import CCurl
import Glibc
import Synchronization

/// Drives every HTTP transfer of one prober: one libcurl multi handle, on one dedicated thread.
///
/// Probes hand transfers in through a locked inbox and wake the thread with `curl_multi_wakeup`;
/// the thread adds them to the multi handle, runs `curl_multi_perform`, sleeps in
/// `curl_multi_poll` until a socket, a libcurl timer or a wakeup needs it, and resumes each
/// finished transfer's continuation. Thousands of transfers share the thread; the cooperative pool
/// only ever waits on continuations and never blocks.
///
/// `curl_multi_poll` was chosen over `curl_multi_socket_action` on epoll: with a fresh connection
/// per probe the sockets change on every transfer, so socket_action's per-socket callbacks cost
/// about what poll's rebuilt descriptor set costs at the hundreds of transfers in flight a vantage
/// point runs, and the loop stays short and obviously correct.
final class CurlMultiLoop: @unchecked Sendable {
    /// What probes hand to the loop thread; the only state shared across threads.
    private struct Inbox {
        var additions: [HTTPTransfer] = []
        var cancellations: [HTTPTransfer] = []
        var stopRequested = false
        /// A wakeup was sent and the loop has not drained the inbox since; one is enough.
        var wakeupPending = false
    }

    /// The `CURLM *`. Touched only by the loop thread, except for `curl_multi_wakeup`, which
    /// libcurl documents as callable from any thread.
    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private let stopped = Mutex<[CheckedContinuation<Void, Never>]?>([])
    private var thread = pthread_t()

    /// The transfers in the multi handle. Loop thread only.
    private var active: [HTTPTransfer] = []

    /// Creates the multi handle and starts the loop thread.
    init(maximumTotalConnections: Int, maximumCachedConnections: Int) throws(CurlError) {
        try CurlGlobal.ensureInitialised()
        guard let multi = curl_multi_init() else {
            throw CurlError(call: "curl_multi_init", code: UInt32(CURLM_OUT_OF_MEMORY.rawValue), message: "no handle")
        }
        self.multi = multi
        do {
            // 0 means unlimited: a probe must never queue behind another probe's connection.
            try curlCheck(ispwatch_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, maximumTotalConnections),
                          "curl_multi_setopt")
            try curlCheck(ispwatch_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maximumCachedConnections),
                          "curl_multi_setopt")
        } catch {
            curl_multi_cleanup(multi)
            throw error
        }
        let unmanagedSelf = Unmanaged.passRetained(self)
        let created = pthread_create(&thread, nil, { argument in
            let loop = Unmanaged<CurlMultiLoop>.fromOpaque(argument!).takeRetainedValue()
            loop.run()
            return nil
        }, unmanagedSelf.toOpaque())
        if created != 0 {
            unmanagedSelf.release()
            curl_multi_cleanup(multi)
            throw CurlError(call: "pthread_create", code: UInt32(created), message: String(cString: strerror(created)))
        }
        // Nobody joins the thread: shutdown() waits for its last act instead.
        pthread_detach(thread)
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    // MARK: - Any thread

    /// Hands `transfer` to the loop, which resumes its continuation when the transfer ends.
    /// Returns false, leaving the continuation alone, when the loop is shutting down.
    func submit(_ transfer: HTTPTransfer) -> Bool {
        let (accepted, wake) = inbox.withLock { inbox -> (Bool, Bool) in
            if inbox.stopRequested { return (false, false) }
            inbox.additions.append(transfer)
            defer { inbox.wakeupPending = true }
            return (true, !inbox.wakeupPending)
        }
        if wake { wakeUp() }
        return accepted
    }

    /// Asks the loop to abandon `transfer`, e.g. because the probing task was cancelled.
    func cancel(_ transfer: HTTPTransfer) {
        let wake = inbox.withLock { inbox -> Bool in
            inbox.cancellations.append(transfer)
            defer { inbox.wakeupPending = true }
            return !inbox.wakeupPending
        }
        if wake { wakeUp() }
    }

    /// Stops the loop: unfinished transfers end with ``HTTPTransfer/Completion/shutdown``, then
    /// the thread exits. Returns once it has.
    func shutdown() async {
        requestStop()
        await withCheckedContinuation { continuation in
            let alreadyStopped = stopped.withLock { waiters -> Bool in
                guard waiters != nil else { return true }
                waiters!.append(continuation)
                return false
            }
            if alreadyStopped { continuation.resume() }
        }
    }

    /// Asks the loop to stop without waiting for it; for a prober dropped without `shutdown()`.
    func requestStop() {
        let wake = inbox.withLock { inbox -> Bool in
            defer { inbox.stopRequested = true }
            return !inbox.stopRequested
        }
        if wake { wakeUp() }
    }

    private func wakeUp() {
        // Cannot fail for a valid multi handle; were it to, the inbox would wait for the next
        // poll timeout (at most a second), so it is checked but not fatal.
        try? curlCheck(curl_multi_wakeup(multi), "curl_multi_wakeup")
    }

    // MARK: - Loop thread

    private func run() {
        var running: Int32 = 0
        var descriptorCount: Int32 = 0
        var additions: [HTTPTransfer] = []
        var cancellations: [HTTPTransfer] = []
        while true {
            // Swapping the arrays keeps both sides' capacity and allocates nothing per round.
            let stopRequested = inbox.withLock { inbox in
                swap(&additions, &inbox.additions)
                swap(&cancellations, &inbox.cancellations)
                inbox.wakeupPending = false
                return inbox.stopRequested
            }
            for transfer in additions { add(transfer) }
            for transfer in cancellations { abandon(transfer) }
            additions.removeAll(keepingCapacity: true)
            cancellations.removeAll(keepingCapacity: true)
            if stopRequested {
                finishAll()
                return
            }
            do {
                try curlCheck(curl_multi_perform(multi, &running), "curl_multi_perform")
            } catch {
                // Only memory exhaustion or a corrupted handle get here; keep serving the others.
            }
            collectFinishedTransfers()
            // Sleeps until a socket is ready, libcurl's next timer is due (poll caps the
            // timeout by it) or a probe calls curl_multi_wakeup.
            try? curlCheck(curl_multi_poll(multi, nil, 0, 1000, &descriptorCount), "curl_multi_poll")
        }
    }

    private func add(_ transfer: HTTPTransfer) {
        if transfer.cancelledBeforeStart {
            finish(transfer, with: .cancelled)
            return
        }
        do {
            try curlCheck(curl_multi_add_handle(multi, transfer.easy.raw), "curl_multi_add_handle")
        } catch {
            finish(transfer, with: .loopError(error))
            return
        }
        transfer.activeSlot = active.count
        active.append(transfer)
    }

    private func abandon(_ transfer: HTTPTransfer) {
        guard transfer.activeSlot != nil else {
            // Not added yet, or already finished: either way it must never start.
            transfer.cancelledBeforeStart = true
            return
        }
        finish(transfer, with: .cancelled)
    }

    private func collectFinishedTransfers() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            var privateData: UnsafeMutableRawPointer? = nil
            do {
                try curlCheck(ispwatch_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &privateData), "curl_easy_getinfo")
            } catch {
                continue
            }
            guard let privateData else { continue }
            let transfer = Unmanaged<HTTPTransfer>.fromOpaque(privateData).takeUnretainedValue()
            finish(transfer, with: .done(CurlStatus(rawValue: message.pointee.data.result.rawValue)))
        }
    }

    private func finish(_ transfer: HTTPTransfer, with completion: HTTPTransfer.Completion) {
        if let slot = transfer.activeSlot {
            try? curlCheck(curl_multi_remove_handle(multi, transfer.easy.raw), "curl_multi_remove_handle")
            // Swap-remove keeps removal O(1) with thousands in flight.
            let last = active.removeLast()
            if last !== transfer {
                active[slot] = last
                last.activeSlot = slot
            }
            transfer.activeSlot = nil
        }
        transfer.resume(with: completion)
    }

    private func finishAll() {
        let leftovers = inbox.withLock { inbox in
            defer { inbox.additions.removeAll() }
            return inbox.additions
        }
        for transfer in leftovers { finish(transfer, with: .shutdown) }
        while let transfer = active.last { finish(transfer, with: .shutdown) }
        let waiters = stopped.withLock { waiters in
            defer { waiters = nil }
            return waiters ?? []
        }
        for waiter in waiters { waiter.resume() }
    }
}
