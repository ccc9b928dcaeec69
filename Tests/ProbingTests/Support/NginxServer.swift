import Foundation

/// A real nginx on loopback, run from a generated configuration in its own temporary directory
/// and killed when the scope ends, whether the body throws or not.
///
/// This is the part every nginx fixture shares: the binary check, the directory (nginx's prefix:
/// configuration, pid, logs, temporary paths), the `http { }` frame, the process and the wait
/// until it listens. What nginx serves is the caller's `server { }` blocks: a plain listener for
/// the TCP tests (`withPlainListener`), TLS and many locations for the HTTP tests (`NginxFixture`).
enum NginxServer {
    static let binary = "/usr/sbin/nginx"

    /// Starts nginx with `workers` worker processes serving the `server { }` blocks that `servers`
    /// returns, waits until each of `ports` accepts TCP connections on 127.0.0.1, runs `body`, and
    /// stops nginx.
    ///
    /// - Parameter servers: given nginx's prefix directory, in which it may write the files it
    ///   serves; returns the `server { }` blocks of the `http { }` section.
    /// - Throws: `TestFixtureError` when nginx is missing, exits at start (with its error log) or
    ///   does not listen within 10 s.
    static func with<Result>(
        workers: Int = 1, readyWhenListening ports: [Int], servers: (URL) throws -> String,
        run body: () async throws -> Result
    ) async throws -> Result {
        try await TemporaryDirectory.with("nginx") { directory in
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
                \(try servers(directory))
                }
                """
            try configuration.write(toFile: "\(path)/nginx.conf", atomically: true, encoding: .utf8)
            let arguments = ["-p", path, "-c", "\(path)/nginx.conf", "-g", "daemon off;"]
            return try await ChildProcess.with(binary, arguments) { nginx in
                for port in ports {
                    guard await nginx.waitUntil(timeout: .seconds(10), { LoopbackSocket.canConnect(port: port) })
                    else {
                        let log = (try? String(contentsOfFile: "\(path)/error.log", encoding: .utf8)) ?? ""
                        throw TestFixtureError(nginx.isRunning ? "nginx did not listen on port \(port) within 10 s"
                                                               : "nginx exited at start: \(log)")
                    }
                }
                return try await body()
            }
        }
    }

    /// Runs `body` with an nginx answering every request with 204 on one free port of both
    /// 127.0.0.1 and [::1]: a listener for tests that need no more than a TCP handshake.
    static func withPlainListener<Result>(_ body: (_ port: Int) async throws -> Result) async throws -> Result {
        let port = try FreePort.onBothLoopbacks()
        return try await with(readyWhenListening: [port]) { _ in
            """
                server {
                    listen 127.0.0.1:\(port) backlog=4096;
                    listen [::1]:\(port) backlog=4096;
                    return 204;
                }
            """
        } run: {
            try await body(port)
        }
    }
}
