import Logging
import WatchCore

/// Probes TCP services by completing a handshake with host:port and closing at once.
///
/// All connects run on one dedicated event-loop thread (non-blocking `connect`, `epoll` for the
/// handshake, a timer heap for deadlines); host names are resolved with `getaddrinfo` on separate
/// threads. Nothing blocks Swift's cooperative pool, and a probe always returns by its deadline.
/// Call ``shutdown()`` when done: it completes probes still in flight and stops the threads.
public final class TCPProber: Prober {
    /// How the TCP prober behaves; the defaults suit a prober running thousands of connects a second.
    public struct Configuration: Sendable {
        /// Close each probe's connection with an RST (`SO_LINGER` {1, 0}) instead of a FIN.
        ///
        /// Default `true`. A normal close leaves the prober's side in TIME_WAIT for 60 seconds on
        /// Linux, holding the (source address, source port, destination) tuple. At 10,000 connects a
        /// second to few destinations that is 600,000 tuples, far beyond the ~28,000 ephemeral ports
        /// of the default range, and connects start failing with EADDRNOTAVAIL. A reset frees the
        /// port at once on both ends, and the peer never gets data, so nothing is lost. The cost:
        /// the server sees "connection reset by peer" (a log line in some servers, and an aborted
        /// accept in others). Set `false` to close gracefully like blackbox_exporter does, for
        /// low-rate probing of servers that alarm on resets.
        public var closeWithReset: Bool
        /// Threads that run `getaddrinfo` for targets given by host name. Default 2.
        public var resolverThreads: Int

        /// Creates a configuration with the documented defaults.
        public init(closeWithReset: Bool = true, resolverThreads: Int = 2) {
            self.closeWithReset = closeWithReset
            self.resolverThreads = resolverThreads
        }
    }

    /// The configuration the prober was created with.
    public let configuration: Configuration
    private let logger: Logger
    private let reactor: Reactor
    private let resolver: HostResolver

    /// Starts the prober's event-loop thread.
    ///
    /// - Throws: ``ProberSetupError`` when the event loop cannot be created (no file descriptors
    ///   left, thread creation refused).
    public init(configuration: Configuration = .init(), logger: Logger = Logger(label: "ispwatch.probing.tcp"))
        throws
    {
        self.configuration = configuration
        self.logger = logger
        do {
            reactor = try Reactor()
            resolver = try HostResolver(threads: configuration.resolverThreads)
        } catch {
            throw ProberSetupError(kind: .tcp, message: "cannot start the TCP event loop: \(error)")
        }
    }

    deinit {
        reactor.requestStop()
        resolver.shutdown()
    }

    /// Always ``ProbeKind/tcp``.
    public var kind: ProbeKind { .tcp }

    /// Connects to the spec's host and port and reports the handshake time as `phases.connect`.
    ///
    /// Fails with `tcp_refused`, `tcp_timeout`, `network_unreachable`, `resolve_failed`,
    /// `resolve_timeout` or `prober_error`; never throws, and returns by `request.timeout`.
    public func probe(_ request: ProbeRequest) async -> ProbeResult {
        let result = await run(request)
        logger.noteProberFault(result, of: request)
        return result
    }

    private func run(_ request: ProbeRequest) async -> ProbeResult {
        let startedAt = WallClock.now()
        let started = MonotonicInstant.now
        let deadline = started.advanced(by: request.timeout)
        var result = ProbeResult(target: request.target, kind: .tcp, ipFamily: request.ipFamily,
                                 scheduledAt: request.scheduledAt, startedAt: startedAt, duration: .zero)

        guard case .tcp(let spec) = request.spec else {
            return result.failed(ProbeFailure(reason: .proberError, detail: "the TCP prober got a \(request.spec.kind) spec"),
                                 started: started)
        }
        guard let port = UInt16(exactly: spec.port), port != 0 else {
            return result.failed(ProbeFailure(reason: .proberError, detail: "port \(spec.port) is not a TCP port"),
                                 started: started)
        }

        let destination: IPAddress
        switch await result.locate(host: spec.host, family: request.ipFamily, deadline: deadline,
                                   resolver: resolver, reactor: reactor) {
        case .failure(let failure):
            return result.failed(failure, started: started)
        case .success(let address):
            destination = address
        }

        let address = IPSocketAddress(address: destination, port: port)
        let resetOnClose = configuration.closeWithReset
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<TCPConnectOutcome, Never>) in
            let accepted = reactor.execute { loop in
                TCPConnectAttempt.start(to: address, deadline: deadline, resetOnClose: resetOnClose, loop: loop,
                                        completion: continuation)
            }
            if !accepted { continuation.resume(returning: .failed(TCPConnectAttempt.shutDownFailure, elapsed: nil)) }
        }
        switch outcome {
        case .connected(let handshake):
            result.phases.connect = handshake
            result.duration = MonotonicInstant.now.duration(since: started)
            return result
        case .failed(let failure, let elapsed):
            result.phases.connect = elapsed
            return result.failed(failure, started: started)
        }
    }

    /// Completes every probe in flight (as `prober_error`) and stops the prober's threads.
    public func shutdown() async {
        resolver.shutdown()
        await reactor.shutdown()
    }
}
