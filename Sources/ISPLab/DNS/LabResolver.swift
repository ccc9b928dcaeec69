import NIOCore
import NIOPosix

/// A provider's DNS resolver: UDP and TCP on the same port of the provider's address.
struct LabResolver: Sendable {
    let port: Int
    let channels: [any Channel]

    /// Binds UDP on a free port (or `port`), then TCP on the same port, retrying with another free
    /// port when TCP's is taken.
    static func start(
        responder: LabDNSResponder, port: Int, group: any EventLoopGroup
    ) async throws -> LabResolver {
        var lastError: (any Error)?
        for _ in 0..<(port == 0 ? 10 : 1) {
            let udp = try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(LabDNSDatagramHandler(responder: responder))
                    }
                }
                .bind(host: responder.provider.address, port: port).get()
            let bound = udp.localAddress?.port ?? port
            do {
                let tcp = try await ServerBootstrap(group: group)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSStreamFrameDecoder()))
                            try channel.pipeline.syncOperations.addHandler(LabDNSStreamHandler(responder: responder))
                        }
                    }
                    .bind(host: responder.provider.address, port: bound).get()
                return LabResolver(port: bound, channels: [udp, tcp])
            } catch {
                lastError = error
                try? await udp.close()
            }
        }
        throw lastError ?? LabServerError(description: "no port for the resolver of \(responder.provider.id)")
    }

    /// Closes both sockets.
    func stop() async {
        for channel in channels { try? await channel.close() }
    }
}
