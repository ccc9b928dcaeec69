internal import CCurl
import Glibc
import Logging
import Synchronization
import WatchCore

/// Probes HTTP and HTTPS endpoints with libcurl: many transfers in flight on a few event loop threads.
///
/// Each probe gets a fresh connection and a full TLS handshake unless its spec asks for reuse,
/// so that connect and handshake times are what a new visitor sees. A failing target yields a
/// failed ``ProbeResult`` with a bounded reason; the probe always ends within the request's
/// timeout, because libcurl enforces it on every phase.
///
/// ```swift
/// let prober = try HTTPProber()
/// let result = await prober.probe(ProbeRequest(target: "portal", spec: .http(HTTPProbeSpec(url: url))))
/// await prober.shutdown()
/// ```
public final class HTTPProber: Prober {
    /// Settings shared by every probe of one prober.
    public struct Configuration: Sendable {
        /// The `User-Agent` header sent with every request. Default `ispwatch/1`.
        public var userAgent: String
        /// How many idle libcurl easy handles are kept for reuse. Default 4096, above the
        /// number of probes a vantage point keeps in flight, so that no probe pays for a new one.
        public var idleHandleCapacity: Int
        /// The most connections open at once over all probes; 0 (the default) means unlimited,
        /// so that a probe never queues behind another probe's connection.
        public var maximumTotalConnections: Int
        /// How many finished connections libcurl keeps for specs that reuse connections.
        /// Default 256.
        public var maximumCachedConnections: Int
        /// How many event loop threads (each with its own libcurl multi handle) share the
        /// transfers; `nil` (the default) means one per CPU, at most 4.
        ///
        /// One thread runs out first at ~10,000 fresh connections/s: on loopback the kernel does
        /// the server's side of each handshake on the sending thread too. The two limits above
        /// apply per loop.
        public var eventLoops: Int?

        /// Creates a configuration; every parameter has the documented default.
        public init(
            userAgent: String = "ispwatch/1", idleHandleCapacity: Int = 4096, maximumTotalConnections: Int = 0,
            maximumCachedConnections: Int = 256, eventLoops: Int? = nil
        ) {
            self.userAgent = userAgent
            self.idleHandleCapacity = idleHandleCapacity
            self.maximumTotalConnections = maximumTotalConnections
            self.maximumCachedConnections = maximumCachedConnections
            self.eventLoops = eventLoops
        }
    }

    private let configuration: Configuration
    private let logger: Logger
    private let loops: [CurlMultiLoop]
    /// Spreads probes that open a fresh connection over ``loops`` in turn.
    private let nextLoop = Atomic<Int>(0)
    private let handles: CurlEasyHandlePool
    private let patterns = HTTPPatternCache()
    private let certificateAuthorities = CertificateAuthorityStores.shared

    /// Starts the prober's event loop threads.
    ///
    /// - Throws: when libcurl cannot be initialised or the thread cannot be started.
    public init(configuration: Configuration = .init(), logger: Logger = Logger(label: "ispwatch.probing.http"))
        throws
    {
        self.configuration = configuration
        self.logger = logger
        let processors = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let count = max(1, configuration.eventLoops ?? min(4, processors))
        var loops: [CurlMultiLoop] = []
        do {
            for _ in 0..<count {
                loops.append(try CurlMultiLoop(
                    maximumTotalConnections: configuration.maximumTotalConnections,
                    maximumCachedConnections: configuration.maximumCachedConnections))
            }
        } catch {
            for loop in loops { loop.requestStop() }
            throw HTTPProberError(description: error.description)
        }
        self.loops = loops
        handles = CurlEasyHandlePool(capacity: configuration.idleHandleCapacity)
        certificateAuthorities.preloadDefaultBundle()
    }

    deinit {
        for loop in loops { loop.requestStop() }
    }

    /// ``ProbeKind/http``.
    public var kind: ProbeKind { .http }

    /// Stops the event loops; probes still running end with `prober_error`. Later probes fail the same way.
    public func shutdown() async {
        for loop in loops { await loop.shutdown() }
    }

    /// The loop for `spec`: a spec that reuses connections always goes to the same loop, whose
    /// connection cache holds its connection; fresh connections go to each loop in turn.
    private func loop(for spec: HTTPProbeSpec) -> CurlMultiLoop {
        guard loops.count > 1 else { return loops[0] }
        if spec.reuseConnection {
            var hasher = Hasher()
            hasher.combine(spec.url)
            return loops[Int(UInt(bitPattern: hasher.finalize()) % UInt(loops.count))]
        }
        return loops[nextLoop.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// Runs one HTTP probe and returns its result; never throws, and returns within the request's timeout.
    public func probe(_ request: ProbeRequest) async -> ProbeResult {
        switch prepare(request) {
        case .finished(let result):
            return result
        case .ready(let probe):
            return finish(probe, await probe.transfer.run(on: loop(for: probe.spec)))
        }
    }

    /// Starts one HTTP probe without a task of its own and calls `onResult` with its result,
    /// exactly once, within the request's timeout.
    ///
    /// `onResult` runs on the prober's event loop thread (or on the caller's, for a probe that
    /// cannot start), so it must be quick and must not block: every other transfer waits for it.
    /// This is for callers that keep thousands of probes in flight (``ProbeEngine/start(_:onResult:)``),
    /// where a task and a continuation per probe cost more CPU than the probe's own work. Unlike
    /// ``probe(_:)``, no task cancellation reaches the probe: it ends by its timeout at the latest.
    public func start(_ request: ProbeRequest, onResult: @escaping @Sendable (ProbeResult) -> Void) {
        switch prepare(request) {
        case .finished(let result):
            onResult(result)
        case .ready(let probe):
            probe.transfer.start(on: loop(for: probe.spec)) { [self] completion in onResult(finish(probe, completion)) }
        }
    }

    /// A probe whose transfer is configured and ready to hand to the loop.
    private struct PreparedProbe: Sendable {
        var request: ProbeRequest
        var spec: HTTPProbeSpec
        var transfer: HTTPTransfer
        var startedAt: Timestamp
        var start: ContinuousClock.Instant

        /// A `prober_error` result: the probe could not run as asked.
        func failed(_ detail: String) -> ProbeResult {
            PreparedProbe.failed(request, detail, startedAt: startedAt, start: start)
        }

        static func failed(
            _ request: ProbeRequest, _ detail: String, startedAt: Timestamp, start: ContinuousClock.Instant
        ) -> ProbeResult {
            ProbeResult(
                target: request.target, kind: .http, scheduledAt: request.scheduledAt, startedAt: startedAt,
                failure: .proberError, failureDetail: detail, duration: ContinuousClock.now - start)
        }
    }

    private enum Preparation {
        /// The probe ended before any transfer (a wrong spec, a forced family the URL contradicts).
        case finished(ProbeResult)
        case ready(PreparedProbe)
    }

    /// Everything before the transfer: checks the request and configures an easy handle.
    private func prepare(_ request: ProbeRequest) -> Preparation {
        let startedAt = WallClock.now()
        let start = ContinuousClock.now
        func failed(_ detail: String) -> ProbeResult {
            PreparedProbe.failed(request, detail, startedAt: startedAt, start: start)
        }
        guard case .http(let spec) = request.spec else {
            return .finished(failed("the HTTP prober got a \(request.spec.kind.rawValue) spec"))
        }
        if Task.isCancelled { return .finished(failed("cancelled before it started")) }
        if let forced = request.ipFamily, let literal = URLHostFamily.of(spec.url), literal != forced {
            var result = failed("\(spec.url) names an IP\(literal.rawValue) address but the probe is forced to IP\(forced.rawValue)")
            result.failure = .resolveFailed
            return .finished(result)
        }

        let easy: CurlEasyHandle
        let transfer: HTTPTransfer
        do {
            easy = try handles.acquire()
        } catch {
            return .finished(failed("cannot create a libcurl handle: \(error)"))
        }
        do {
            transfer = try HTTPTransfer(
                easy: easy, spec: spec, ipFamily: request.ipFamily, timeout: request.timeout,
                userAgent: configuration.userAgent, keepsBody: HTTPExpectationEvaluation.needsBody(spec),
                certificateAuthorities: certificateAuthorities)
        } catch {
            handles.release(easy)
            return .finished(failed("cannot configure the transfer: \(error)"))
        }
        return .ready(PreparedProbe(request: request, spec: spec, transfer: transfer, startedAt: startedAt, start: start))
    }

    /// Everything after the transfer: reads the outcome into a result and gives the handle back.
    private func finish(_ probe: PreparedProbe, _ completion: HTTPTransfer.Completion) -> ProbeResult {
        let request = probe.request
        var result = ProbeResult(
            target: request.target, kind: .http, scheduledAt: request.scheduledAt, startedAt: probe.startedAt,
            duration: .zero)
        switch completion {
        case .done(let status):
            fill(&result, from: probe.transfer, status: status, spec: probe.spec, request: request)
        case .cancelled:
            result = probe.failed("cancelled")
        case .shutdown:
            result = probe.failed("the HTTP prober was shut down")
        case .loopError(let error):
            result = probe.failed("the HTTP event loop could not take the transfer: \(error)")
        }
        handles.release(probe.transfer.easy)
        result.duration = ContinuousClock.now - probe.start
        if let failure = result.failure, failure.isProberFault {
            logger.debug("HTTP probe could not run", metadata: [
                "probe.target": "\(request.target)", "probe.failure": "\(result.failureDetail ?? "")",
            ])
        }
        return result
    }

    // MARK: - Reading the outcome

    private func fill(
        _ result: inout ProbeResult, from transfer: HTTPTransfer, status: CurlStatus, spec: HTTPProbeSpec,
        request: ProbeRequest
    ) {
        let easy = transfer.easy
        let effectiveURL = easy.string(CURLINFO_EFFECTIVE_URL)
        let isHTTPS = (effectiveURL ?? spec.url).lowercased().hasPrefix("https:")
        let times = CurlTimes(of: easy)
        let statusCode = easy.long(CURLINFO_RESPONSE_CODE) ?? 0

        result.phases = times.phases(isHTTPS: isHTTPS)
        if let address = easy.string(CURLINFO_PRIMARY_IP) {
            result.remoteAddress = address
            result.ipFamily = address.utf8.contains(UInt8(ascii: ":")) ? .v6 : .v4
        }
        var detail = HTTPProbeDetail(
            statusCode: statusCode > 0 ? statusCode : nil,
            httpVersion: Self.httpVersionName(easy.long(CURLINFO_HTTP_VERSION) ?? 0),
            tlsVersion: transfer.tls?.version,
            certificateExpiry: transfer.tls?.earliestExpiry,
            redirects: easy.long(CURLINFO_REDIRECT_COUNT) ?? 0,
            effectiveURL: effectiveURL,
            bodyBytes: transfer.bodyBytes)
        if statusCode > 0 { result.code = statusCode }

        if !status.isOK {
            let classification = HTTPFailureClassification(
                status: status, bodyLimitExceeded: transfer.bodyLimitExceeded,
                osErrno: Int32(truncatingIfNeeded: easy.long(CURLINFO_OS_ERRNO) ?? 0),
                verifyResult: easy.long(CURLINFO_SSL_VERIFYRESULT) ?? 0, times: times, isHTTPS: isHTTPS,
                forcedFamily: request.ipFamily, message: easy.errorText ?? status.message)
            var (reason, text) = classification.failure
            if reason == .resolveFailed, let family = request.ipFamily {
                text += "; the probe is forced to IP\(family.rawValue)"
            }
            if reason == .bodyTooLarge {
                text = "body larger than the limit of \(spec.bodySizeLimit) bytes"
                detail.bodyBytes = transfer.bodyBytes
            }
            result.failure = reason
            result.failureDetail = text
            result.success = false
            result.detail = .http(detail)
            return
        }

        let evaluation = HTTPExpectationEvaluation(
            spec: spec,
            response: HTTPResponseView(
                statusCode: statusCode, body: transfer.body, headers: transfer.headers, effectiveURL: effectiveURL,
                tlsVersion: transfer.tls?.version),
            patterns: patterns)
        result.checks = evaluation.checks
        if let failure = evaluation.failure {
            result.failure = failure.reason
            result.failureDetail = failure.detail
            result.success = false
        } else {
            result.success = true
        }
        result.detail = .http(detail)
    }

    private static func httpVersionName(_ version: Int) -> String? {
        switch version {
        case CURL_HTTP_VERSION_1_0: "1.0"
        case CURL_HTTP_VERSION_1_1: "1.1"
        case CURL_HTTP_VERSION_2_0: "2"
        case CURL_HTTP_VERSION_3: "3"
        default: nil
        }
    }
}

/// The HTTP prober could not start (libcurl or its thread failed to initialise).
public struct HTTPProberError: Error, CustomStringConvertible {
    /// What failed.
    public var description: String
}
