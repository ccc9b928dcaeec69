internal import CCurl
import Glibc
import WatchCore

/// Turns how a libcurl transfer ended into a bounded ``FailureReason`` and a human detail.
///
/// A pure function of what the transfer reported, so each mapping is testable without a socket.
struct HTTPFailureClassification {
    /// The transfer's outcome.
    var status: CurlStatus
    /// The write callback stopped the transfer at the body-size limit.
    var bodyLimitExceeded: Bool
    /// `CURLINFO_OS_ERRNO`: the errno of the last failed connect or socket call.
    var osErrno: Int32
    /// `CURLINFO_SSL_VERIFYRESULT`: OpenSSL's `X509_V_*` verify result.
    var verifyResult: Int
    /// The cumulative phase times (microseconds), to tell which phase a timeout hit.
    var times: CurlTimes
    /// Whether the URL (or the redirect followed last) is HTTPS.
    var isHTTPS: Bool
    /// The family the request forced, if any, to explain a resolve failure.
    var forcedFamily: IPFamily?
    /// libcurl's error buffer, or its generic message.
    var message: String

    /// OpenSSL's `X509_V_ERR_CERT_NOT_YET_VALID` and `X509_V_ERR_CERT_HAS_EXPIRED`.
    static let certificateDateErrors: Set<Int> = [9, 10]

    /// The reason and the detail to report.
    var failure: (reason: FailureReason, detail: String) {
        (reason, "\(message) (curl error \(status.rawValue))")
    }

    var reason: FailureReason {
        if bodyLimitExceeded { return .bodyTooLarge }
        switch CURLcode(rawValue: status.rawValue) {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .resolveFailed
        case CURLE_COULDNT_CONNECT:
            switch osErrno {
            case ENETUNREACH, EHOSTUNREACH, ENETDOWN, EADDRNOTAVAIL: return .networkUnreachable
            case ETIMEDOUT: return .tcpTimeout
            default: return .tcpRefused
            }
        case CURLE_OPERATION_TIMEDOUT:
            return timeoutReason
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CIPHER, CURLE_SSL_CERTPROBLEM, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return .tlsHandshake
        case CURLE_PEER_FAILED_VERIFICATION:
            return Self.certificateDateErrors.contains(verifyResult) ? .tlsExpired : .tlsCertificateInvalid
        case CURLE_TOO_MANY_REDIRECTS:
            return .tooManyRedirects
        case CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_BAD_CONTENT_ENCODING,
             CURLE_HTTP3:
            return .httpProtocol
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE:
            return .connectionReset
        case CURLE_UNSUPPORTED_PROTOCOL:
            // After a connect it is the server's reply (e.g. HTTP/0.9 garbage); before, the URL's scheme.
            return times.connect > 0 ? .httpProtocol : .proberError
        case CURLE_WRITE_ERROR, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CRL_BADFILE:
            // A write error not caused by the limit, or the vantage's own CA file: not the target's fault.
            return .proberError
        default:
            return times.connect > 0 ? .httpProtocol : .proberError
        }
    }

    /// A timeout belongs to the first phase that had not finished.
    private var timeoutReason: FailureReason {
        if times.nameLookup == 0 && times.connect == 0 { return .resolveTimeout }
        if times.connect == 0 { return .tcpTimeout }
        if isHTTPS && times.appConnect == 0 { return .tlsTimeout }
        if times.startTransfer == 0 { return .httpTimeout }
        return .transferTimeout
    }
}

/// libcurl's cumulative timings of one transfer, in microseconds since its start (0: not reached).
struct CurlTimes: Equatable {
    var nameLookup: Int64 = 0
    var connect: Int64 = 0
    var appConnect: Int64 = 0
    var preTransfer: Int64 = 0
    var startTransfer: Int64 = 0
    var total: Int64 = 0
    var redirect: Int64 = 0

    /// Reads the `CURLINFO_*_TIME_T` values of `easy`'s last transfer.
    init(of easy: CurlEasyHandle) {
        nameLookup = easy.offset(CURLINFO_NAMELOOKUP_TIME_T) ?? 0
        connect = easy.offset(CURLINFO_CONNECT_TIME_T) ?? 0
        appConnect = easy.offset(CURLINFO_APPCONNECT_TIME_T) ?? 0
        preTransfer = easy.offset(CURLINFO_PRETRANSFER_TIME_T) ?? 0
        startTransfer = easy.offset(CURLINFO_STARTTRANSFER_TIME_T) ?? 0
        total = easy.offset(CURLINFO_TOTAL_TIME_T) ?? 0
        redirect = easy.offset(CURLINFO_REDIRECT_TIME_T) ?? 0
    }

    init(nameLookup: Int64 = 0, connect: Int64 = 0, appConnect: Int64 = 0, preTransfer: Int64 = 0,
         startTransfer: Int64 = 0, total: Int64 = 0, redirect: Int64 = 0) {
        self.nameLookup = nameLookup
        self.connect = connect
        self.appConnect = appConnect
        self.preTransfer = preTransfer
        self.startTransfer = startTransfer
        self.total = total
        self.redirect = redirect
    }

    /// The phases the way blackbox_exporter cuts them: resolve, connect (TCP), tls (https only),
    /// processing (request sent to first response byte) and transfer (first to last byte).
    ///
    /// libcurl adds each request's offsets from that request's start into every `*_TIME_T` but
    /// TOTAL (from the first request's start), so the differences below are summed over
    /// redirects, like blackbox_exporter's phases. A phase not reached stays `nil`; differences are clamped
    /// at zero because libcurl rounds each time on its own.
    func phases(isHTTPS: Bool) -> PhaseTimings {
        var phases = PhaseTimings()
        guard nameLookup > 0 || connect > 0 else { return phases }
        phases.resolve = .microseconds(nameLookup)
        guard connect > 0 else { return phases }
        phases.connect = .microseconds(max(0, connect - nameLookup))
        var connected = connect
        if isHTTPS {
            guard appConnect > 0 else { return phases }
            phases.tls = .microseconds(max(0, appConnect - connect))
            connected = appConnect
        }
        guard startTransfer > 0 else { return phases }
        phases.processing = .microseconds(max(0, startTransfer - max(preTransfer, connected)))
        if total > 0 {
            phases.transfer = .microseconds(max(0, total - startTransfer))
        }
        return phases
    }
}
