import Logging
import WatchCore

/// Probes hosts with ICMP echo requests (ping) and reports round trip and loss.
///
/// One ICMP socket per family serves every probe: a datagram ("ping") socket where
/// `net.ipv4.ping_group_range` allows it, otherwise a raw socket (root or CAP_NET_RAW). Replies are
/// matched by a per-echo token in the payload, the sequence number and the source address, so
/// thousands of probes share the socket. Sending, receiving (in `recvmmsg` batches) and deadlines
/// run on one dedicated event-loop thread; nothing blocks Swift's cooperative pool.
/// Call ``shutdown()`` when done.
public final class ICMPProber: Prober {
    /// How the ICMP prober behaves.
    public struct Configuration: Sendable {
        /// Which socket to open. Default ``ICMPSocketKind/automatic``.
        public var socketKind: ICMPSocketKind
        /// Threads that run `getaddrinfo` for targets given by host name. Default 2.
        public var resolverThreads: Int

        /// Creates a configuration with the documented defaults.
        public init(socketKind: ICMPSocketKind = .automatic, resolverThreads: Int = 2) {
            self.socketKind = socketKind
            self.resolverThreads = resolverThreads
        }
    }

    /// The configuration the prober was created with.
    public let configuration: Configuration
    private let logger: Logger
    private let reactor: Reactor
    private let resolver: HostResolver
    private let engine: ICMPEchoEngine

    /// Opens the ICMP sockets and starts the prober's event-loop thread.
    ///
    /// - Throws: ``ProberSetupError`` when no ICMP socket can be opened for either family; its
    ///   message says how to allow one (`net.ipv4.ping_group_range` or CAP_NET_RAW). When only one
    ///   family can be served, probes over the other fail with `prober_error` and that message.
    public init(configuration: Configuration = .init(), logger: Logger = Logger(label: "ispwatch.probing.icmp"))
        throws
    {
        self.configuration = configuration
        self.logger = logger
        do throws(ProbeFailure) {
            engine = try ICMPEchoEngine(kind: configuration.socketKind)
        } catch {
            throw ProberSetupError(kind: .icmp, message: error.detail)
        }
        do {
            reactor = try Reactor()
            resolver = try HostResolver(threads: configuration.resolverThreads)
        } catch {
            throw ProberSetupError(kind: .icmp, message: "cannot start the ICMP event loop: \(error)")
        }
        let engine = engine
        reactor.execute { loop in engine.attach(to: loop) }
        for family in IPFamily.allCases {
            if let raw = engine.usesRawSocket(family) {
                logger.debug("icmp socket open", metadata: ["icmp.family": "\(family)", "icmp.raw": "\(raw)"])
            }
        }
    }

    deinit {
        reactor.requestStop()
        resolver.shutdown()
    }

    /// Always ``ProbeKind/icmp``.
    public var kind: ProbeKind { .icmp }

    /// Whether the prober uses a raw socket for `family` (`nil` when it has none for that family).
    public func usesRawSocket(for family: IPFamily) -> Bool? { engine.usesRawSocket(family) }

    /// Sends the spec's echo requests and reports the mean round trip as `phases.rtt`, with the
    /// tally in an ``ICMPProbeDetail``.
    ///
    /// Fails with `icmp_timeout` (no reply), `icmp_loss` (more loss than `maximumLoss`),
    /// `icmp_unreachable`, `network_unreachable`, `resolve_failed`, `resolve_timeout` or
    /// `prober_error`; never throws, and returns by `request.timeout`.
    public func probe(_ request: ProbeRequest) async -> ProbeResult {
        let result = await run(request)
        logger.noteProberFault(result, of: request)
        return result
    }

    private func run(_ request: ProbeRequest) async -> ProbeResult {
        let startedAt = WallClock.now()
        let started = MonotonicInstant.now
        let deadline = started.advanced(by: request.timeout)
        var result = ProbeResult(target: request.target, kind: .icmp, ipFamily: request.ipFamily,
                                 scheduledAt: request.scheduledAt, startedAt: startedAt, duration: .zero)
        guard case .icmp(let spec) = request.spec else {
            return result.failed(ProbeFailure(reason: .proberError, detail: "the ICMP prober got a \(request.spec.kind) spec"),
                                 started: started)
        }
        guard spec.count > 0, (0...65_000).contains(spec.payloadSize), (0...1).contains(spec.maximumLoss) else {
            return result.failed(ProbeFailure(
                reason: .proberError,
                detail: "invalid ICMP spec: count \(spec.count) (must be > 0), payload \(spec.payloadSize) bytes "
                    + "(0…65000), maximum loss \(spec.maximumLoss) (0…1)"), started: started)
        }

        let destination: IPAddress
        switch await result.locate(host: spec.host, family: request.ipFamily, deadline: deadline,
                                   resolver: resolver, reactor: reactor) {
        case .failure(let failure):
            return result.failed(failure, started: started)
        case .success(let address):
            destination = address
        }

        let run = EchoRunRequest(destination: destination, count: spec.count, spacing: spec.spacing,
                                 payloadSize: spec.payloadSize, deadline: deadline)
        let engine = engine
        let report = await withCheckedContinuation { (continuation: CheckedContinuation<EchoRunReport, Never>) in
            let accepted = reactor.execute { loop in engine.start(run, loop: loop, completion: continuation) }
            if !accepted {
                continuation.resume(returning: .failed(
                    ProbeFailure(reason: .proberError, detail: "the ICMP prober was shut down")))
            }
        }
        switch report {
        case .failed(let failure):
            return result.failed(failure, started: started)
        case .finished(let tally):
            result.phases.rtt = tally.meanRTT
            result.detail = .icmp(tally.detail)
            if let failure = tally.verdict(maximumLoss: spec.maximumLoss) {
                return result.failed(failure, started: started)
            }
            result.duration = MonotonicInstant.now.duration(since: started)
            return result
        }
    }

    /// Completes every probe in flight (as `prober_error`) and stops the prober's threads.
    public func shutdown() async {
        resolver.shutdown()
        await reactor.shutdown()
    }
}
