import Foundation
import WatchCore

/// Certificates for the test servers, generated once per test process in a temporary directory.
///
/// An ECDSA P-256 CA signs two server certificates for `localhost`, 127.0.0.1 and ::1: one valid
/// for ten days (made with /usr/bin/openssl) and one that expired yesterday (made with python3's
/// `cryptography`, because openssl 3.0's `x509 -req` cannot backdate a certificate).
struct TestCertificates: Sendable {
    let directory: URL
    var caFile: String { directory.appendingPathComponent("ca.pem").path }
    var serverCertificate: String { directory.appendingPathComponent("server.pem").path }
    var serverKey: String { directory.appendingPathComponent("server.key").path }
    var expiredCertificate: String { directory.appendingPathComponent("expired.pem").path }
    var expiredKey: String { directory.appendingPathComponent("expired.key").path }
    /// The valid server certificate's notAfter.
    let serverNotAfter: Timestamp

    private static let generated: Result<TestCertificates, TestFixtureError> = Result {
        () throws(TestFixtureError) in try generate()
    }

    /// The process-wide certificates; fails the test when openssl or python3 are missing.
    static func shared() throws -> TestCertificates { try generated.get() }

    private static func generate() throws(TestFixtureError) -> TestCertificates {
        // Every nginx the HTTP tests start reads these files; they go when the process exits.
        let directory = try TemporaryDirectory.createForProcess("http-certs")
        do {
            try """
            subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=serverAuth
            """.write(to: directory.appendingPathComponent("server.ext"), atomically: true, encoding: .utf8)
        } catch {
            throw TestFixtureError("cannot prepare \(directory.path): \(error)")
        }
        // Command.run fails with "run scripts/install-deps.sh" when openssl or python3 is missing.
        let openssl = "/usr/bin/openssl"
        let path = directory.path
        try Command.run(openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "\(path)/ca.key", "-out", "\(path)/ca.pem", "-days", "30",
            "-subj", "/CN=ispwatch test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try Command.run(openssl, [
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "\(path)/server.key", "-out", "\(path)/server.csr", "-subj", "/CN=localhost"])
        try Command.run(openssl, [
            "x509", "-req", "-in", "\(path)/server.csr", "-CA", "\(path)/ca.pem",
            "-CAkey", "\(path)/ca.key", "-CAcreateserial", "-out", "\(path)/server.pem",
            "-days", "10", "-extfile", "\(path)/server.ext"])
        let endDate = try Command.run(
            openssl, ["x509", "-in", "\(path)/server.pem", "-noout", "-enddate", "-dateopt", "iso_8601"])
        guard let notAfter = parseISODate(endDate) else {
            throw TestFixtureError("cannot parse openssl's notAfter: \(endDate)")
        }

        let python = "/usr/bin/python3"
        let script = """
        import datetime, ipaddress, sys
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID
        d = sys.argv[1]
        ca_key = serialization.load_pem_private_key(open(d + "/ca.key", "rb").read(), None)
        ca = x509.load_pem_x509_certificate(open(d + "/ca.pem", "rb").read())
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=10)).not_valid_after(now - datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.IPAddress(ipaddress.ip_address("::1"))]), False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
            .sign(ca_key, hashes.SHA256()))
        open(d + "/expired.pem", "wb").write(cert.public_bytes(serialization.Encoding.PEM))
        open(d + "/expired.key", "wb").write(key.private_bytes(serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        """
        try Command.run(python, ["-c", script, path])
        return TestCertificates(directory: directory, serverNotAfter: notAfter)
    }

    /// Parses `notAfter=2026-12-04 23:30:00Z`.
    private static func parseISODate(_ line: String) -> Timestamp? {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "notAfter=", with: "")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime,
                                   .withTimeZone]
        guard let date = formatter.date(from: text) else { return nil }
        return Timestamp(secondsSinceEpoch: date.timeIntervalSince1970)
    }
}
