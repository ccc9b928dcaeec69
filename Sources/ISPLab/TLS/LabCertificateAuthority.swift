internal import CLabTLS

/// The lab's own certificate authority, made at start-up: probes verify the portals against its
/// certificate (`ca.pem`), so a valid certificate verifies and an expired one fails as expired.
final class LabCertificateAuthority: @unchecked Sendable {
    // The key and certificate are only read after init (signing), which OpenSSL allows concurrently.
    private let key: OpaquePointer
    private let certificate: OpaquePointer
    private var nextSerial = 2

    init() throws(LabTLSError) {
        guard let key = lab_tls_generate_key() else { throw Self.failure("generating the authority's key") }
        guard let certificate = lab_tls_make_certificate(
            key, "ispwatch lab authority", nil, 1, -3_600, 30 * 86_400, 1, nil, nil)
        else {
            EVP_PKEY_free(key)
            throw Self.failure("making the authority's certificate")
        }
        self.key = key
        self.certificate = certificate
    }

    deinit {
        X509_free(certificate)
        EVP_PKEY_free(key)
    }

    /// Writes the authority's certificate as PEM to `path` (the `ca_file` of the lab's HTTPS targets).
    func writeCertificate(to path: String) throws(LabTLSError) {
        guard lab_tls_write_certificate(certificate, path) == 1 else { throw Self.failure("writing \(path)") }
    }

    /// A server context for `address` whose certificate is valid now, or expired a day ago.
    func serverContext(address: String, expired: Bool) throws(LabTLSError) -> PortalTLSContext {
        guard let leafKey = lab_tls_generate_key() else { throw Self.failure("generating a portal key") }
        defer { EVP_PKEY_free(leafKey) }
        // Expired: valid for a month that ended yesterday, so only the expiry is wrong.
        let (notBefore, notAfter) = expired ? (-31 * 86_400, -86_400) : (-3_600, 7 * 86_400)
        let serial = nextSerial
        nextSerial += 1
        guard let leaf = lab_tls_make_certificate(
            leafKey, address, "IP:\(address)", 0, notBefore, notAfter, serial, certificate, key)
        else { throw Self.failure("making the certificate of \(address)") }
        defer { X509_free(leaf) }
        guard let context = lab_tls_server_context(leaf, leafKey) else { throw Self.failure("the TLS context of \(address)") }
        return PortalTLSContext(context: context)
    }

    static func failure(_ doing: String) -> LabTLSError {
        var buffer = [CChar](repeating: 0, count: 256)
        let reason = String(cString: lab_tls_last_error(&buffer, buffer.count))
        return LabTLSError(description: "\(doing): \(reason)")
    }
}
