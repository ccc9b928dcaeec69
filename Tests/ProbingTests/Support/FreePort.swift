#if canImport(Glibc)
import Glibc
#endif

/// Free ports on loopback for the servers the tests start, found by binding port 0 and closing.
///
/// Another process may take such a port before the server binds it; fixtures that cannot afford
/// that (nsd) retry their start.
enum FreePort {
    /// A port on 127.0.0.1 free for both TCP and UDP (for nsd, which binds both).
    static func forTCPAndUDP() throws -> Int {
        for _ in 0..<20 {
            // No SO_REUSEADDR: the port must also be free of TIME_WAIT connections, as nsd binds
            // without it.
            let (listener, port) = try LoopbackSocket.bind()
            defer { close(listener) }
            if let (datagram, _) = try? LoopbackSocket.bind(port: port, transport: .udp) {
                close(datagram)
                return port
            }
        }
        throw TestFixtureError("no port on 127.0.0.1 free for both TCP and UDP after 20 tries")
    }

    /// A TCP port free on both 127.0.0.1 and ::1 (for nginx, which listens on both).
    static func onBothLoopbacks() throws -> Int {
        for _ in 0..<20 {
            let (v4, port) = try LoopbackSocket.bind(.v4)
            defer { close(v4) }
            if let (v6, _) = try? LoopbackSocket.bind(.v6, port: port) {
                close(v6)
                return port
            }
        }
        throw TestFixtureError("no TCP port free on both 127.0.0.1 and ::1 after 20 tries")
    }

    /// A port with no listener: bound on 127.0.0.1 without `listen`, and held for the scope so
    /// that nobody takes it; a connect to it is refused.
    static func withClosedPort<Result>(_ body: (Int) async throws -> Result) async throws -> Result {
        let (descriptor, port) = try LoopbackSocket.bind()
        defer { close(descriptor) }
        return try await body(port)
    }
}
