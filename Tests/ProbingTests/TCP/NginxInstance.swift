import Foundation
import Glibc

/// A real nginx on 127.0.0.1 and [::1], started from a generated configuration in a temporary
/// directory and stopped when the scope ends, whether the body throws or not.
struct NginxInstance {
    let port: Int

    /// Runs `body` with a fresh nginx listening on one free port on both loopback addresses.
    static func with<Result>(_ body: (NginxInstance) async throws -> Result) async throws -> Result {
        let binary = "/usr/sbin/nginx"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestSetupError("\(binary) is missing: run scripts/install-deps.sh")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ispwatch-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try FreePort.onBothLoopbacks()
        let prefix = directory.path
        let configuration = """
            worker_processes 1;
            error_log \(prefix)/error.log;
            pid \(prefix)/nginx.pid;
            events { worker_connections 8192; }
            http {
                access_log off;
                client_body_temp_path \(prefix)/client_body;
                proxy_temp_path \(prefix)/proxy;
                fastcgi_temp_path \(prefix)/fastcgi;
                uwsgi_temp_path \(prefix)/uwsgi;
                scgi_temp_path \(prefix)/scgi;
                server {
                    listen 127.0.0.1:\(port) backlog=4096;
                    listen [::1]:\(port) backlog=4096;
                    return 204;
                }
            }
            """
        try configuration.write(toFile: "\(prefix)/nginx.conf", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-p", prefix, "-c", "\(prefix)/nginx.conf", "-g", "daemon off;"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        try await waitUntilListening(port: port, process: process, log: "\(prefix)/error.log")
        return try await body(NginxInstance(port: port))
    }

    private static func waitUntilListening(port: Int, process: Process, log: String) async throws {
        for _ in 0..<100 {
            guard process.isRunning else {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw TestSetupError("nginx exited at start: \(text)")
            }
            if LoopbackSocket.canConnect(port: port) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSetupError("nginx did not listen on port \(port) within 5 s")
    }
}

/// A test could not set up its environment; the message says how to fix it.
struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Plain blocking sockets for test setup (finding free ports, checking a listener).
enum LoopbackSocket {
    /// Binds a TCP socket to 127.0.0.1 on `port` (0 for any); the descriptor and the bound port.
    static func bind(port: Int = 0, listen backlog: Int32? = nil) throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSetupError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            close(descriptor)
            throw TestSetupError("bind: errno \(errno)")
        }
        if let backlog { _ = listen(descriptor, backlog) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func canConnect(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
