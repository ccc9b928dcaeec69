import NIOCore
import NIOPosix

/// One HTTP exchange over a plain TCP connection, bytes in and bytes out: for what curl hides,
/// such as whether a HEAD response carries a body.
enum RawHTTP {
    /// Sends `request` to 127.0.0.1:`port` and returns everything the server sends until it closes
    /// the connection (send `Connection: close`). Bounded to 64 KiB and 10 s.
    static func exchange(port: Int, _ request: String) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await withThrowingTaskGroup(of: String.self) { tasks in
            tasks.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    try await outbound.write(ByteBuffer(string: request))
                    var received = ByteBuffer()
                    for try await chunk in inbound {
                        var chunk = chunk
                        received.writeBuffer(&chunk)
                        if received.readableBytes > 65_536 { break }
                    }
                    return String(buffer: received)
                }
            }
            tasks.addTask {
                try await Task.sleep(for: .seconds(10))
                throw TestFixtureError("no complete answer to \(request.prefix(20))… within 10 s")
            }
            defer { tasks.cancelAll() }
            return try await tasks.next()!
        }
    }
}
