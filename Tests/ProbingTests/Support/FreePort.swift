#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix

/// Free ports on loopback for the servers the tests start.
enum FreePort {
    /// A port on 127.0.0.1 free for both TCP and UDP (for nsd, which binds both), found by
    /// binding port 0 and closing.
    static func loopback() async throws -> Int {
        let group = MultiThreadedEventLoopGroup.singleton
        for _ in 0..<20 {
            // No SO_REUSEADDR: the port must also be free of TIME_WAIT connections, as nsd binds
            // without it.
            let listener = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 0)
                .bind(host: "127.0.0.1", port: 0).get()
            let port = listener.localAddress?.port ?? 0
            let datagram = try? await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: port).get()
            try? await datagram?.close()
            try await listener.close()
            if datagram != nil { return port }
        }
        throw NSDInstance.NSDError.didNotStart
    }

    /// A port that nothing listens on at 127.0.0.1 (bound, then released).
    static func onBothLoopbacks() throws -> Int {
        let (descriptor, port) = try LoopbackSocket.bind()
        close(descriptor)
        return port
    }

    /// A port with no listener: bound without `listen`, held for the scope so nobody takes it.
    static func withClosedPort<Result>(_ body: (Int) async throws -> Result) async throws -> Result {
        let (descriptor, port) = try LoopbackSocket.bind()
        defer { close(descriptor) }
        return try await body(port)
    }
}
