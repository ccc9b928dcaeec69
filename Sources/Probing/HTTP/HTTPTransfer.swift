internal import CCurl
import WatchCore

/// One probe's transfer: its easy handle, what libcurl's callbacks collect, and who waits for the
/// ``CurlMultiLoop`` to end it (a continuation or a handler).
///
/// Ownership moves, it is never shared: the probing task configures it, then (from `submit` to
/// the resumption) the loop thread alone touches it, then the probing task reads the outcome.
/// The inbox lock and the resumption order those steps, hence `@unchecked Sendable`.
final class HTTPTransfer: @unchecked Sendable {
    /// How the loop ended a transfer.
    enum Completion: Sendable {
        /// libcurl finished it, successfully or not.
        case done(CurlStatus)
        /// The probing task was cancelled.
        case cancelled
        /// The prober shut down first.
        case shutdown
        /// The loop could not take it (e.g. `curl_multi_add_handle` failed).
        case loopError(CurlError)
    }

    /// What the TLS session of the final response negotiated.
    struct TLSFacts {
        var version: String?
        var earliestExpiry: Timestamp?
    }

    let easy: CurlEasyHandle

    // MARK: Loop-thread bookkeeping

    /// The transfer's index in the loop's active list, while it is in the multi handle.
    var activeSlot: Int?
    /// A cancellation arrived before the loop added the transfer.
    var cancelledBeforeStart = false
    private var waiter: Waiter?

    /// Who hears of the end: a suspended probing task, or (``HTTPProber/start(_:onResult:)``) a
    /// handler the loop thread calls, so that a probe needs no task of its own.
    private enum Waiter {
        case task(CheckedContinuation<Completion, Never>)
        case handler(@Sendable (Completion) -> Void)
    }

    // MARK: Collected by the callbacks

    private let bodySizeLimit: Int
    private let keepsBody: Bool
    private let collectsHeaders: Bool
    /// The body, when some expectation needs to read it.
    private(set) var body: [UInt8] = []
    /// Body bytes received, kept or not.
    private(set) var bodyBytes = 0
    /// The write callback stopped the transfer because the body outgrew the limit.
    private(set) var bodyLimitExceeded = false
    /// The header fields of the latest response (the final one once the transfer is done).
    private(set) var headers: [(name: String, value: String)] = []
    /// Read from the live TLS session at the status line of the latest response.
    private(set) var tls: TLSFacts?
    private var requestHeaders: UnsafeMutablePointer<curl_slist>?

    /// Prepares `easy` for one probe of `spec`.
    init(
        easy: CurlEasyHandle, spec: HTTPProbeSpec, ipFamily: IPFamily?, timeout: Duration, userAgent: String,
        keepsBody: Bool, certificateAuthorities: CertificateAuthorityStores
    ) throws(CurlError) {
        self.easy = easy
        self.bodySizeLimit = max(0, spec.bodySizeLimit)
        self.keepsBody = keepsBody
        self.collectsHeaders = !spec.headerMatches.isEmpty
        try configure(spec: spec, ipFamily: ipFamily, timeout: timeout, userAgent: userAgent)
        // Also for http:// URLs: a redirect may lead to https.
        if !spec.insecureSkipVerify {
            try certificateAuthorities.install(caFile: spec.caFile, on: easy)
        }
    }

    deinit {
        if let requestHeaders { curl_slist_free_all(requestHeaders) }
    }

    private func configure(spec: HTTPProbeSpec, ipFamily: IPFamily?, timeout: Duration, userAgent: String)
        throws(CurlError)
    {
        let me = Unmanaged.passUnretained(self).toOpaque()
        try easy.set(CURLOPT_PRIVATE, pointer: me)
        try easy.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(easy.errorBuffer))
        try easy.set(CURLOPT_URL, spec.url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        // Signals would hit whichever thread of the process; the loop thread must never get them.
        try easy.set(CURLOPT_NOSIGNAL, 1)
        let milliseconds = max(1, Int(timeout.nanoseconds / 1_000_000))
        try easy.set(CURLOPT_TIMEOUT_MS, milliseconds)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
        try easy.set(CURLOPT_WRITEFUNCTION, callback: bodyCallback)
        try easy.set(CURLOPT_WRITEDATA, pointer: me)
        try easy.set(CURLOPT_HEADERFUNCTION, callback: headerCallback)
        try easy.set(CURLOPT_HEADERDATA, pointer: me)
        try easy.set(CURLOPT_USERAGENT, userAgent)

        try easy.set(CURLOPT_FOLLOWLOCATION, spec.followRedirects ? 1 : 0)
        try easy.set(CURLOPT_MAXREDIRS, max(0, spec.maximumRedirects))
        switch ipFamily {
        case .v4: try easy.set(CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_V4))
        case .v6: try easy.set(CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_V6))
        case nil: break
        }
        if !spec.reuseConnection {
            // Each probe measures what a new visitor sees: connect and full TLS handshake.
            try easy.set(CURLOPT_FRESH_CONNECT, 1)
            try easy.set(CURLOPT_FORBID_REUSE, 1)
            try easy.set(CURLOPT_SSL_SESSIONID_CACHE, 0)
        }
        if spec.insecureSkipVerify {
            try easy.set(CURLOPT_SSL_VERIFYPEER, 0)
            try easy.set(CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let caFile = spec.caFile { try easy.set(CURLOPT_CAINFO, caFile) }

        try configureMethod(spec)
        for field in spec.headers { try appendRequestHeader("\(field.name): \(field.value)") }
        if !spec.reuseConnection, !spec.headers.contains(where: { $0.name.lowercased() == "connection" }) {
            // The connection is closed after this probe anyway: saying so lets the server close
            // first (as blackbox_exporter's Go client does), so the TIME_WAIT state stays on the
            // server's side and the vantage does not hold an ephemeral port for a minute after
            // every probe (28,000 ports, at 10,000 probes/s, would run out in 3 s).
            try appendRequestHeader("Connection: close")
        }
        if let requestHeaders { try easy.set(CURLOPT_HTTPHEADER, list: requestHeaders) }
    }

    private func appendRequestHeader(_ line: String) throws(CurlError) {
        guard let appended = curl_slist_append(requestHeaders, line) else {
            throw CurlError(call: "curl_slist_append", code: CURLE_OUT_OF_MEMORY.rawValue, message: "out of memory")
        }
        requestHeaders = appended
    }

    private func configureMethod(_ spec: HTTPProbeSpec) throws(CurlError) {
        let method = spec.method.uppercased()
        if let body = spec.body {
            // Size first: COPYPOSTFIELDS then copies exactly that many bytes, NULs included.
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.utf8.count))
            try easy.set(CURLOPT_COPYPOSTFIELDS, body)
            if method != "POST" { try easy.set(CURLOPT_CUSTOMREQUEST, method) }
        } else if method == "HEAD" {
            try easy.set(CURLOPT_NOBODY, 1)
        } else if method != "GET" {
            try easy.set(CURLOPT_CUSTOMREQUEST, method)
        }
    }

    // MARK: - Running

    /// Hands the transfer to `loop` and waits for it to end. A cancelled task makes the loop
    /// drop the transfer at once; otherwise libcurl ends it by its timeout at the latest.
    func run(on loop: CurlMultiLoop) async -> Completion {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                self.waiter = .task(continuation)
                if !loop.submit(self) { resume(with: .shutdown) }
            }
        } onCancel: {
            loop.cancel(self)
        }
    }

    /// Hands the transfer to `loop`, which calls `handler` on its thread when the transfer ends
    /// (or at once, on this thread, when the loop is shut down). libcurl's timeout bounds it.
    func start(on loop: CurlMultiLoop, handler: @escaping @Sendable (Completion) -> Void) {
        waiter = .handler(handler)
        if !loop.submit(self) { resume(with: .shutdown) }
    }

    /// Tells the waiting probe. Called exactly once, by the loop thread (or by `run` or `start`
    /// when the loop refused the transfer).
    func resume(with completion: Completion) {
        let waiter = self.waiter
        // The handler holds the probe, which holds this transfer: dropping it breaks the cycle.
        self.waiter = nil
        switch waiter {
        case .task(let continuation): continuation.resume(returning: completion)
        case .handler(let handler): handler(completion)
        case nil: break
        }
    }

    // MARK: - Callbacks (loop thread)

    fileprivate func receiveBody(_ data: UnsafeMutablePointer<CChar>, count: Int) -> Int {
        bodyBytes += count
        if bodyBytes > bodySizeLimit {
            bodyLimitExceeded = true
            return 0  // Anything but `count` makes libcurl stop with CURLE_WRITE_ERROR.
        }
        if keepsBody {
            data.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
                body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
            }
        }
        return count
    }

    fileprivate func receiveHeaderLine(_ data: UnsafeMutablePointer<CChar>, count: Int) -> Int {
        data.withMemoryRebound(to: UInt8.self, capacity: count) { pointer in
            let line = UnsafeBufferPointer(start: pointer, count: count)
            if line.starts(with: Self.statusLinePrefix) {
                // A new response starts (after a redirect or a 1xx): only the last one counts.
                headers.removeAll(keepingCapacity: true)
                readTLSFacts()
            } else if collectsHeaders, let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                let name = String(decoding: Self.trimmed(line[..<colon]), as: UTF8.self)
                let value = String(decoding: Self.trimmed(line[(colon + 1)...]), as: UTF8.self)
                headers.append((name, value))
            }
        }
        return count
    }

    private static let statusLinePrefix = Array("HTTP/".utf8)

    private static func trimmed(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var slice = bytes
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 || last == 0x0D || last == 0x0A {
            slice = slice.dropLast()
        }
        return slice
    }

    /// Reads the TLS version and chain expiry while the connection is alive; libcurl 7.88 has no
    /// CURLINFO for either, and CURLOPT_CERTINFO would format every certificate as text per probe.
    private func readTLSFacts() {
        var facts = ispwatch_tls_facts()
        do {
            try curlCheck(ispwatch_read_tls_facts(easy.raw, &facts), "curl_easy_getinfo")
        } catch {
            return
        }
        guard facts.present != 0 else {
            tls = nil
            return
        }
        tls = TLSFacts(
            version: facts.version.map { String(cString: $0) },
            earliestExpiry: facts.has_expiry != 0
                ? Timestamp(nanosecondsSinceEpoch: facts.earliest_not_after * 1_000_000_000) : nil
        )
    }
}

// libcurl calls these on the loop thread with the transfer as user data.

private let bodyCallback: ispwatch_data_callback = { data, size, count, userdata in
    guard let data, let userdata else { return 0 }
    return Unmanaged<HTTPTransfer>.fromOpaque(userdata).takeUnretainedValue().receiveBody(data, count: size * count)
}

private let headerCallback: ispwatch_data_callback = { data, size, count, userdata in
    guard let data, let userdata else { return 0 }
    return Unmanaged<HTTPTransfer>.fromOpaque(userdata).takeUnretainedValue()
        .receiveHeaderLine(data, count: size * count)
}
