import Logging
import Synchronization
import WatchCore

/// Runs probes of every kind, many at a time, with a bound on how many are in flight.
///
/// The engine owns one prober per kind, each with its own transport (libcurl multi loop for HTTP,
/// shared UDP sockets for DNS, an epoll reactor for TCP and ICMP). Concurrency comes from those
/// transports, not from threads: a probe in flight is a suspended task waiting on a continuation.
/// The scheduler drives the engine; `ispwatch probe` uses it for one-shot and repeated probes.
public final class ProbeEngine: Sendable {
    /// How the engine and its probers are set up.
    public struct Configuration: Sendable {
        /// The most probes ``run(_:maximumInFlight:onResult:)`` keeps in flight by default.
        public var maximumInFlight: Int
        public var dns: DNSProber.Configuration
        public var http: HTTPProber.Configuration
        public var tcp: TCPProber.Configuration
        public var icmp: ICMPProber.Configuration

        /// Creates a configuration; by default 1,000 probes in flight and each prober's defaults.
        public init(
            maximumInFlight: Int = 1_000,
            dns: DNSProber.Configuration = .init(),
            http: HTTPProber.Configuration = .init(),
            tcp: TCPProber.Configuration = .init(),
            icmp: ICMPProber.Configuration = .init()
        ) {
            self.maximumInFlight = maximumInFlight
            self.dns = dns
            self.http = http
            self.tcp = tcp
            self.icmp = icmp
        }
    }

    public let configuration: Configuration
    private let dns: DNSProber
    private let http: HTTPProber
    private let tcp: TCPProber
    /// ICMP needs a permission the host may not grant; without it, ICMP probes fail with
    /// `prober_error` and the reason, and every other kind still works.
    private let icmp: Result<ICMPProber, ICMPUnavailable>
    private let inFlight = Atomic<Int>(0)

    /// Probes started and not yet finished, across every caller (for `/metrics` and tests).
    public var probesInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Starts every prober's transport.
    ///
    /// - Throws: when a transport that every probe kind relies on cannot start (no UDP socket, no
    ///   libcurl). A missing ICMP permission does not throw.
    public init(configuration: Configuration = .init(), logger: Logger = Logger(label: "ispwatch.probing")) throws {
        self.configuration = configuration
        self.dns = try DNSProber(configuration: configuration.dns, logger: logger)
        self.http = try HTTPProber(configuration: configuration.http, logger: logger)
        self.tcp = try TCPProber(configuration: configuration.tcp, logger: logger)
        do {
            self.icmp = .success(try ICMPProber(configuration: configuration.icmp, logger: logger))
        } catch {
            logger.warning("ICMP probes unavailable", metadata: ["probe.failure": "\(error)"])
            self.icmp = .failure(ICMPUnavailable(reason: "\(error)"))
        }
    }

    /// Stops every transport. Probes still in flight end with a failed result.
    public func shutdown() async {
        await dns.shutdown()
        await http.shutdown()
        await tcp.shutdown()
        if case .success(let icmp) = icmp { await icmp.shutdown() }
    }

    /// Runs one probe with the prober of its kind.
    public func probe(_ request: ProbeRequest) async -> ProbeResult {
        inFlight.add(1, ordering: .relaxed)
        defer { inFlight.subtract(1, ordering: .relaxed) }
        switch request.spec.kind {
        case .dns: return await dns.probe(request)
        case .http: return await http.probe(request)
        case .tcp: return await tcp.probe(request)
        case .icmp:
            switch icmp {
            case .success(let prober): return await prober.probe(request)
            case .failure(let unavailable):
                return ProbeResult(
                    target: request.target, kind: .icmp, scheduledAt: request.scheduledAt,
                    startedAt: WallClock.now(), failure: .proberError,
                    failureDetail: unavailable.reason, duration: .zero
                )
            }
        }
    }

    /// Whether ``start(_:onResult:)`` runs probes of `kind` (only HTTP today).
    public func startsWithoutTask(_ kind: ProbeKind) -> Bool { kind == .http }

    /// Starts `request` without a task of its own when its kind allows it, and calls `onResult`
    /// with the result, exactly once, from the prober's thread. Returns false, without calling
    /// `onResult`, for kinds that run only as a task (every kind but HTTP): run those with
    /// ``probe(_:)``.
    ///
    /// For a scheduler with thousands of probes in flight: a child task per probe costs a task
    /// allocation, a continuation and a walk of the task group's child list when it ends (which
    /// grows with the probes in flight). `onResult` must be quick and must not block: it runs on
    /// the thread that serves every other probe of that kind. No task cancellation reaches such a
    /// probe; it ends by its timeout at the latest.
    public func start(_ request: ProbeRequest, onResult: @escaping @Sendable (ProbeResult) -> Void) -> Bool {
        guard startsWithoutTask(request.spec.kind) else { return false }
        inFlight.add(1, ordering: .relaxed)
        http.start(request) { [self] result in
            inFlight.subtract(1, ordering: .relaxed)
            onResult(result)
        }
        return true
    }

    /// Runs every request, never more than `maximumInFlight` at once, and hands each result to
    /// `onResult` as it completes (in completion order, one at a time).
    ///
    /// Returns when every request has a result. Cancelling the calling task stops starting new
    /// probes; those in flight end at their timeout at the latest.
    public func run(
        _ requests: some Sequence<ProbeRequest> & Sendable,
        maximumInFlight: Int? = nil,
        onResult: (ProbeResult) -> Void
    ) async {
        let bound = max(1, maximumInFlight ?? configuration.maximumInFlight)
        await withTaskGroup(of: ProbeResult.self) { group in
            var pending = requests.makeIterator()
            var inFlight = 0
            while inFlight < bound, let request = pending.next() {
                group.addTask { await self.probe(request) }
                inFlight += 1
            }
            while let result = await group.next() {
                onResult(result)
                if !Task.isCancelled, let request = pending.next() {
                    group.addTask { await self.probe(request) }
                }
            }
        }
    }
}

/// Why ICMP probes cannot run on this host.
struct ICMPUnavailable: Error {
    var reason: String
}

extension ProbeEngine {
    /// Runs `body` with a started engine and shuts it down afterwards, whether `body` returns or throws.
    public static func withEngine<Result>(
        configuration: Configuration = .init(),
        logger: Logger = Logger(label: "ispwatch.probing"),
        _ body: (ProbeEngine) async throws -> Result
    ) async throws -> Result {
        let engine = try ProbeEngine(configuration: configuration, logger: logger)
        do {
            let result = try await body(engine)
            await engine.shutdown()
            return result
        } catch {
            await engine.shutdown()
            throw error
        }
    }
}
