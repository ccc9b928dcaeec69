import Foundation

/// The nginx the HTTP tests probe: the shared `NginxServer` with test certificates and the
/// locations the HTTP prober's behaviours need.
///
/// Listens for HTTP and HTTPS on 127.0.0.1 and [::1], and for HTTPS with an expired certificate
/// on 127.0.0.1. Locations: `/` (200, known body, `X-Probe-Check` header), `/redirect` (301 to
/// `/`), `/loop` (302 to itself), `/error` (503), `/large` (a 4 MiB file), `/slow` (the same
/// file at 64 KiB/s), `/status` (`stub_status`) and `/connection` (echoes the request's
/// `Connection` header as `X-Request-Connection`).
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
        let descriptor = try LoopbackSocket.connect(port: httpPort)
        defer { close(descriptor) }
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
        let fixture = NginxFixture(
            httpPort: try FreePort.onBothLoopbacks(), httpsPort: try FreePort.onBothLoopbacks(),
            expiredPort: try FreePort.onBothLoopbacks(), certificates: try TestCertificates.shared())
        return try await NginxServer.with(
            workers: workers, readyWhenListening: [fixture.httpPort, fixture.expiredPort]
        ) { directory in
            try fixture.servers(in: directory)
        } run: {
            try await body(fixture)
        }
    }

    /// Writes the served files into `directory` and returns the `server { }` blocks serving them.
    private func servers(in directory: URL) throws -> String {
        let www = directory.appendingPathComponent("www")
        try FileManager.default.createDirectory(at: www, withIntermediateDirectories: true)
        try Data(repeating: UInt8(ascii: "x"), count: Self.largeFileSize).write(to: www.appendingPathComponent("large"))
        return """
                server {
                    listen 127.0.0.1:\(httpPort);
                    listen [::1]:\(httpPort);
                    listen 127.0.0.1:\(httpsPort) ssl;
                    listen [::1]:\(httpsPort) ssl;
                    ssl_protocols TLSv1.2 TLSv1.3;
                    ssl_certificate \(certificates.serverCertificate);
                    ssl_certificate_key \(certificates.serverKey);
                    root \(www.path);
                    location = / {
                        add_header X-Probe-Check "ispwatch-ok";
                        return 200 "\(Self.rootBody.replacingOccurrences(of: "\n", with: "\\n"))";
                    }
                    location = /status { stub_status; }
                    location = /connection {
                        add_header X-Request-Connection "$http_connection";
                        return 200 "ok\\n";
                    }
                    location = /redirect { return 301 /; }
                    location = /loop { return 302 /loop; }
                    location = /error { return 503 "down for maintenance\\n"; }
                    location = /large { }
                    location = /slow { alias \(www.path)/large; limit_rate 64k; }
                }
                server {
                    listen 127.0.0.1:\(expiredPort) ssl;
                    ssl_certificate \(certificates.expiredCertificate);
                    ssl_certificate_key \(certificates.expiredKey);
                    location / { return 200 "expired but alive\\n"; }
                }
            """
    }
}
