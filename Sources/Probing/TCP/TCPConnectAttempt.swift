#if canImport(Glibc)
import Glibc
#endif
import WatchCore

/// How one connect attempt ended.
enum TCPConnectOutcome: Sendable {
    /// The handshake completed; the time from `connect` to the socket turning writable.
    case connected(Duration)
    /// The attempt failed; the handshake time so far when the failure came from the peer or the path.
    case failed(ProbeFailure, elapsed: Duration?)
}

/// One non-blocking connect, run entirely on the reactor thread: socket, connect, wait for
/// EPOLLOUT or the deadline, read SO_ERROR, close.
enum TCPConnectAttempt {
    /// Starts the attempt on `loop`; `completion` is resumed exactly once, at the latest at `deadline`
    /// (or when the loop shuts down).
    static func start(to address: IPSocketAddress, deadline: MonotonicInstant, resetOnClose: Bool, loop: ReactorLoop,
                      completion: CheckedContinuation<TCPConnectOutcome, Never>)
    {
        let now = loop.refreshNow()
        guard now < deadline else {
            completion.resume(returning: .failed(timeoutFailure(address), elapsed: nil))
            return
        }
        let descriptor: Descriptor
        do {
            descriptor = try Syscall.socket(family: address.address.family.addressFamily, type: .stream)
        } catch {
            completion.resume(returning: .failed(
                ProbeFailure(reason: .proberError, detail: "cannot open a TCP socket: \(error)"), elapsed: nil))
            return
        }
        if resetOnClose {
            // Abortive close: see `TCPProber.Configuration.closeWithReset` for why.
            try? Syscall.setOption(descriptor, level: SOL_SOCKET, name: SO_LINGER, value: linger(l_onoff: 1, l_linger: 0))
        }

        let started = MonotonicInstant.now
        do {
            try Syscall.connect(descriptor, to: address)
            // Linux may finish a loopback handshake inside connect itself.
            Syscall.close(descriptor)
            completion.resume(returning: .connected(MonotonicInstant.now.duration(since: started)))
            return
        } catch where error.errno == .inProgress {
            // The usual case: wait for the handshake below.
        } catch {
            Syscall.close(descriptor)
            completion.resume(returning: .failed(failure(for: error.errno, address: address),
                                                 elapsed: MonotonicInstant.now.duration(since: started)))
            return
        }

        // The registration and the timer complete each other: whichever fires first cancels the other.
        var timer: TimerHeap<() -> Void>.ID?
        var token: ReactorLoop.Token?
        do {
            token = try loop.register(
                descriptor, events: .output,
                onEvents: { [unowned loop] _ in
                    let finished = MonotonicInstant.now
                    if let timer { loop.cancel(timer) }
                    if let token { loop.forget(token) }
                    let pending: Errno?
                    do throws(SystemError) {
                        pending = try Syscall.pendingError(descriptor)
                    } catch {
                        pending = error.errno
                    }
                    Syscall.close(descriptor)
                    let elapsed = finished.duration(since: started)
                    if let pending {
                        completion.resume(returning: .failed(failure(for: pending, address: address), elapsed: elapsed))
                    } else {
                        completion.resume(returning: .connected(elapsed))
                    }
                },
                onShutdown: {
                    Syscall.close(descriptor)
                    completion.resume(returning: .failed(shutDownFailure, elapsed: nil))
                })
        } catch {
            Syscall.close(descriptor)
            completion.resume(returning: .failed(
                ProbeFailure(reason: .proberError, detail: "cannot watch the socket: \(error)"), elapsed: nil))
            return
        }
        timer = loop.schedule(at: deadline) { [unowned loop] in
            if let token { loop.forget(token) }
            Syscall.close(descriptor)
            completion.resume(returning: .failed(timeoutFailure(address), elapsed: nil))
        }
    }

    static let shutDownFailure = ProbeFailure(reason: .proberError, detail: "the TCP prober was shut down")

    private static func timeoutFailure(_ address: IPSocketAddress) -> ProbeFailure {
        ProbeFailure(reason: .tcpTimeout, detail: "no TCP handshake with \(address) before the deadline")
    }

    /// Maps a connect error to the reason a probe reports.
    static func failure(for errno: Errno, address: IPSocketAddress) -> ProbeFailure {
        let reason: FailureReason = switch errno {
        case .connectionRefused: .tcpRefused
        case .networkUnreachable, .hostUnreachable: .networkUnreachable
        case .timedOut: .tcpTimeout
        case .connectionReset: .connectionReset
        default: .proberError
        }
        return ProbeFailure(reason: reason, detail: "connect to \(address): \(errno)")
    }
}
