internal import CCurl
import Glibc
import Logging
import WatchCore

/// Probes HTTP and HTTPS endpoints with libcurl: many transfers in flight on one event loop thread.
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

        /// Creates a configuration; every parameter has the documented default.
        public init(
            userAgent: String = "ispwatch/1", idleHandleCapacity: Int = 4096, maximumTotalConnections: Int = 0,
            maximumCachedConnections: Int = 256
        ) {
            self.userAgent = userAgent
            self.idleHandleCapacity = idleHandleCapacity
            self.maximumTotalConnections = maximumTotalConnections
            self.maximumCachedConnections = maximumCachedConnections
        }
    }

    private let configuration: Configuration
    private let logger: Logger
    private let loop: CurlMultiLoop
    private let handles: CurlEasyHandlePool
    private let patterns = HTTPPatternCache()
    private let certificateAuthorities = CertificateAuthorityStores.shared

    /// Starts the prober's event loop thread.
    ///
    /// - Throws: when libcurl cannot be initialised or the thread cannot be started.
    public init(configuration: Configuration = .init(), logger: Logger = Logger(label: "ispwatch.probing.http"))
        throws
    {
        self.configuration = configuration
        self.logger = logger
        do {
            loop = try CurlMultiLoop(
                maximumTotalConnections: configuration.maximumTotalConnections,
                maximumCachedConnections: configuration.maximumCachedConnections)
        } catch {
            throw HTTPProberError(description: error.description)
        }
        handles = CurlEasyHandlePool(capacity: configuration.idleHandleCapacity)
        certificateAuthorities.preloadDefaultBundle()
    }

    deinit {
        loop.requestStop()
    }

    /// ``ProbeKind/http``.
    public var kind: ProbeKind { .http }

    /// Stops the event loop; probes still running end with `prober_error`. Later probes fail the same way.
    public func shutdown() async {
        await loop.shutdown()
    }

    /// Runs one HTTP probe and returns its result; never throws, and returns within the request's timeout.
    public func probe(_ request: ProbeRequest) async -> ProbeResult {
        let startedAt = WallClock.now()
        let start = ContinuousClock.now
        func failed(_ detail: String) -> ProbeResult {
            ProbeResult(
                target: request.target, kind: .http, scheduledAt: request.scheduledAt, startedAt: startedAt,
                failure: .proberError, failureDetail: detail, duration: ContinuousClock.now - start)
        }
        guard case .http(let spec) = request.spec else {
            return failed("the HTTP prober got a \(request.spec.kind.rawValue) spec")
        }
        if Task.isCancelled { return failed("cancelled before it started") }
        if let forced = request.ipFamily, let literal = URLHostFamily.of(spec.url), literal != forced {
            var result = failed("\(spec.url) names an IP\(literal.rawValue) address but the probe is forced to IP\(forced.rawValue)")
            result.failure = .resolveFailed
            return result
        }

        let easy: CurlEasyHandle
        let transfer: HTTPTransfer
        do {
            easy = try handles.acquire()
        } catch {
            return failed("cannot create a libcurl handle: \(error)")
        }
        do {
            transfer = try HTTPTransfer(
                easy: easy, spec: spec, ipFamily: request.ipFamily, timeout: request.timeout,
                userAgent: configuration.userAgent, keepsBody: HTTPExpectationEvaluation.needsBody(spec),
                certificateAuthorities: certificateAuthorities)
        } catch {
            handles.release(easy)
            return failed("cannot configure the transfer: \(error)")
        }

        let completion = await transfer.run(on: loop)
        var result = ProbeResult(
            target: request.target, kind: .http, scheduledAt: request.scheduledAt, startedAt: startedAt,
            duration: .zero)
        switch completion {
        case .done(let status):
            fill(&result, from: transfer, status: status, spec: spec, request: request)
        case .cancelled:
            result = failed("cancelled")
        case .shutdown:
            result = failed("the HTTP prober was shut down")
        case .loopError(let error):
            result = failed("the HTTP event loop could not take the transfer: \(error)")
        }
        handles.release(easy)
        result.duration = ContinuousClock.now - start
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
