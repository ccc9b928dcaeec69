import Foundation
import Testing
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

    private static let generated: Result<TestCertificates, TestFixtureError> = Result { () throws(TestFixtureError) in try generate() }

    /// The process-wide certificates; fails the test when openssl or python3 are missing.
    static func shared() throws -> TestCertificates { try generated.get() }

    private static func generate() throws(TestFixtureError) -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ispwatch-http-certs-\(getpid())-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try """
            subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=serverAuth
            """.write(to: directory.appendingPathComponent("server.ext"), atomically: true, encoding: .utf8)
        } catch {
            throw TestFixtureError("cannot prepare \(directory.path): \(error)")
        }
        let openssl = try TestFixtureError.requireExecutable("/usr/bin/openssl")
        let path = directory.path
        try run(openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                          "-keyout", "\(path)/ca.key", "-out", "\(path)/ca.pem", "-days", "30",
                          "-subj", "/CN=ispwatch test CA",
                          "-addext", "basicConstraints=critical,CA:TRUE",
                          "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try run(openssl, ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                          "-keyout", "\(path)/server.key", "-out", "\(path)/server.csr", "-subj", "/CN=localhost"])
        try run(openssl, ["x509", "-req", "-in", "\(path)/server.csr", "-CA", "\(path)/ca.pem",
                          "-CAkey", "\(path)/ca.key", "-CAcreateserial", "-out", "\(path)/server.pem",
                          "-days", "10", "-extfile", "\(path)/server.ext"])
        let endDate = try run(openssl, ["x509", "-in", "\(path)/server.pem", "-noout", "-enddate", "-dateopt", "iso_8601"])
        guard let notAfter = parseISODate(endDate) else {
            throw TestFixtureError("cannot parse openssl's notAfter: \(endDate)")
        }

        let python = try TestFixtureError.requireExecutable("/usr/bin/python3")
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
        try run(python, ["-c", script, path])
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

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws(TestFixtureError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw TestFixtureError("cannot run \(executable): \(error)") }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFixtureError("\(executable) \(arguments.prefix(3).joined(separator: " ")) … failed: "
                                   + String(decoding: stderr, as: UTF8.self))
        }
        return String(decoding: stdout, as: UTF8.self)
    }
}

/// A test fixture could not be set up.
struct TestFixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }

    /// The path, or an error telling to install the test dependencies.
    static func requireExecutable(_ path: String) throws(TestFixtureError) -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestFixtureError("\(path) is missing: run scripts/install-deps.sh")
        }
        return path
    }
}

/// A real nginx on loopback with a generated configuration, for as long as a test runs.
///
/// Listens for HTTP and HTTPS on 127.0.0.1 and [::1], and for HTTPS with an expired certificate
/// on 127.0.0.1. Locations: `/` (200, known body, `X-Probe-Check` header), `/redirect` (301 to
/// `/`), `/loop` (302 to itself), `/error` (503), `/large` (a 4 MiB file) and `/slow` (the same
/// file at 64 KiB/s).
struct NginxFixture: Sendable {
    static let rootBody = "hello from the ispwatch test nginx\n"
    static let largeFileSize = 4 << 20

    let httpPort: Int
    let httpsPort: Int
    let expiredPort: Int
    let certificates: TestCertificates

    func url(_ path: String = "/", tls: Bool = false, host: String = "127.0.0.1") -> String {
        "\(tls ? "https" : "http")://\(host):\(tls ? httpsPort : httpPort)\(path)"
    }

    /// How many connections nginx has accepted so far (from `stub_status`, itself read over a
    /// new plain connection, which this count includes).
    func acceptedConnections() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFixtureError("socket: errno \(errno)") }
        defer { close(descriptor) }
        var address = HTTPTestLoopback.address(port: httpPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw TestFixtureError("connect to nginx: errno \(errno)") }
        let request = Array("GET /status HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            response += buffer[..<count]
        }
        // "server accepts handled requests\n 12 12 30\n": the first number after that line.
        let text = String(decoding: response, as: UTF8.self)
        guard let line = text.components(separatedBy: "\n").drop(while: { !$0.hasPrefix("server accepts") })
            .dropFirst().first, let accepts = line.split(separator: " ").first.flatMap({ Int($0) })
        else { throw TestFixtureError("unexpected stub_status: \(text)") }
        return accepts
    }

    /// Starts nginx, runs `body`, and stops nginx whether `body` succeeded or not.
    static func with<T>(workers: Int = 1, _ body: (NginxFixture) async throws -> T) async throws -> T {
        let nginx = try TestFixtureError.requireExecutable("/usr/sbin/nginx")
        let certificates = try TestCertificates.shared()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ispwatch-nginx-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("www"),
                                                withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(repeating: UInt8(ascii: "x"), count: largeFileSize)
            .write(to: directory.appendingPathComponent("www/large"))

        let fixture = NginxFixture(
            httpPort: try HTTPTestLoopback.freePort(), httpsPort: try HTTPTestLoopback.freePort(), expiredPort: try HTTPTestLoopback.freePort(),
            certificates: certificates)
        let path = directory.path
        let configuration = """
        worker_processes \(workers);
        worker_rlimit_nofile 16384;
        pid \(path)/nginx.pid;
        error_log \(path)/error.log warn;
        events { worker_connections 8192; }
        http {
            access_log off;
            client_body_temp_path \(path)/client_body;
            proxy_temp_path \(path)/proxy;
            fastcgi_temp_path \(path)/fastcgi;
            uwsgi_temp_path \(path)/uwsgi;
            scgi_temp_path \(path)/scgi;
            default_type text/plain;
            absolute_redirect off;
            server {
                listen 127.0.0.1:\(fixture.httpPort);
                listen [::1]:\(fixture.httpPort);
                listen 127.0.0.1:\(fixture.httpsPort) ssl;
                listen [::1]:\(fixture.httpsPort) ssl;
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_certificate \(certificates.serverCertificate);
                ssl_certificate_key \(certificates.serverKey);
                root \(path)/www;
                location = / {
                    add_header X-Probe-Check "ispwatch-ok";
                    return 200 "\(rootBody.replacingOccurrences(of: "\n", with: "\\n"))";
                }
                location = /status { stub_status; }
                location = /redirect { return 301 /; }
                location = /loop { return 302 /loop; }
                location = /error { return 503 "down for maintenance\\n"; }
                location = /large { }
                location = /slow { alias \(path)/www/large; limit_rate 64k; }
            }
            server {
                listen 127.0.0.1:\(fixture.expiredPort) ssl;
                ssl_certificate \(certificates.expiredCertificate);
                ssl_certificate_key \(certificates.expiredKey);
                location / { return 200 "expired but alive\\n"; }
            }
        }
        """
        try configuration.write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: nginx)
        process.arguments = ["-p", path, "-c", "\(path)/nginx.conf", "-g", "daemon off;"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        try await waitUntilListening(fixture.httpPort, process: process, errorLog: "\(path)/error.log")
        try await waitUntilListening(fixture.expiredPort, process: process, errorLog: "\(path)/error.log")
        return try await body(fixture)
    }

    private static func waitUntilListening(_ port: Int, process: Process, errorLog: String) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                let log = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? ""
                throw TestFixtureError("nginx exited: \(log)")
            }
            if HTTPTestLoopback.canConnect(port) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFixtureError("nginx did not listen on port \(port) within 10 s")
    }
}

// MARK: - Loopback sockets for fixtures

/// Plain loopback sockets for the HTTP test fixtures.
enum HTTPTestLoopback {
    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then closed).
    static func freePort() throws -> Int {
        try FreePort.onBothLoopbacks()
    }

    static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// Whether a TCP connect to 127.0.0.1:`port` succeeds now.
    static func canConnect(_ port: Int) -> Bool {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { return false }
        defer { close(socketDescriptor) }
        var address = Self.address(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

}
