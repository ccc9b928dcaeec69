/// Why a probe failed, as a bounded set of values that is safe to use as a metric label and to
/// store as one byte.
///
/// The raw values are stable: they appear in stored results, metrics and reports. Add new cases at
/// the end of a group and never rename one.
public enum FailureReason: String, Sendable, Hashable, Codable, CaseIterable {
    // MARK: - Name resolution (a target given by host name)
    /// The target's host name did not resolve.
    case resolveFailed = "resolve_failed"
    /// Resolving the target's host name took longer than the probe's timeout.
    case resolveTimeout = "resolve_timeout"

    // MARK: - Connection
    /// The peer actively refused the connection (TCP RST, ICMP port unreachable).
    case tcpRefused = "tcp_refused"
    /// The TCP handshake did not finish within the timeout.
    case tcpTimeout = "tcp_timeout"
    /// No route to the target, or the network is down.
    case networkUnreachable = "network_unreachable"
    /// The connection was reset or closed before the exchange finished.
    case connectionReset = "connection_reset"

    // MARK: - TLS
    /// The TLS handshake failed (protocol error, no shared cipher, bad record).
    case tlsHandshake = "tls_handshake"
    /// The TLS handshake did not finish within the timeout.
    case tlsTimeout = "tls_timeout"
    /// The server's certificate has expired or is not yet valid.
    case tlsExpired = "tls_expired"
    /// The server's certificate did not verify (unknown issuer, wrong name).
    case tlsCertificateInvalid = "tls_cert_invalid"

    // MARK: - HTTP
    /// The server accepted the request but sent no response headers within the timeout.
    case httpTimeout = "http_timeout"
    /// The response body did not arrive completely within the timeout.
    case transferTimeout = "transfer_timeout"
    /// The status code is not one the probe accepts.
    case httpStatus = "http_status"
    /// The server broke the HTTP protocol.
    case httpProtocol = "http_protocol"
    /// The body did not contain or match what the probe expects.
    case bodyMismatch = "body_mismatch"
    /// A response header did not match what the probe expects.
    case headerMismatch = "header_mismatch"
    /// The body was larger than the probe's body-size limit.
    case bodyTooLarge = "body_too_large"
    /// More redirects than allowed, or a redirect where none is followed.
    case tooManyRedirects = "too_many_redirects"

    // MARK: - DNS
    /// No matching answer arrived within the timeout.
    case dnsTimeout = "dns_timeout"
    /// The server answered SERVFAIL.
    case dnsServfail = "dns_servfail"
    /// The server answered NXDOMAIN.
    case dnsNXDomain = "dns_nxdomain"
    /// The server answered REFUSED.
    case dnsRefused = "dns_refused"
    /// The server answered with another rcode the probe does not accept.
    case dnsRcode = "dns_rcode"
    /// The answer section did not contain or match what the probe expects.
    case dnsMismatch = "dns_mismatch"
    /// The reply could not be parsed (garbage, bad compression, truncated message).
    case dnsMalformed = "dns_malformed"

    // MARK: - ICMP
    /// No echo reply arrived within the timeout.
    case icmpTimeout = "icmp_timeout"
    /// Some echo replies arrived, but more were lost than the probe allows.
    case icmpLoss = "icmp_loss"
    /// A router answered destination unreachable.
    case icmpUnreachable = "icmp_unreachable"

    // MARK: - The prober itself
    /// The prober could not run the probe (no socket permission, resource exhausted). Not the
    /// target's fault; the SLA engine may treat it as UNKNOWN.
    case proberError = "prober_error"

    /// Whether the failure lies with the vantage point rather than the target.
    public var isProberFault: Bool { self == .proberError }
}
