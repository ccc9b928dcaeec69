import NIOCore
import NIOPosix
import Probing
import WatchCore

/// A test-only UDP "server" that answers queries the way a broken or hostile peer would.
///
/// `reply` sees each query and returns the datagrams to send back; `replyFromOtherAddress` sends
/// them from a second socket on 127.0.0.2 instead of the queried one.
final class HostileDNSPeer: Sendable {
    let channel: any Channel
    private let otherChannel: (any Channel)?

    var port: Int { channel.localAddress?.port ?? 0 }

    init(replyFromOtherAddress: Bool = false, reply: @escaping @Sendable ([UInt8]) -> [[UInt8]]) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let other: (any Channel)? =
            replyFromOtherAddress
            ? try await DatagramBootstrap(group: group).bind(host: "127.0.0.2", port: 0).get() : nil
        otherChannel = other
        channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        HostileReplyHandler(reply: reply, sender: other))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func close() async {
        try? await channel.close()
        try? await otherChannel?.close()
    }

    /// A request for this peer.
    func request(name: String = "www.isp.test", timeout: Duration = .milliseconds(400)) -> ProbeRequest {
        ProbeRequest(
            target: "hostile",
            spec: .dns(DNSProbeSpec(server: "127.0.0.1", port: port, queryName: name, ednsBufferSize: nil)),
            timeout: timeout)
    }
}

private final class HostileReplyHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let reply: @Sendable ([UInt8]) -> [[UInt8]]
    let sender: (any Channel)?

    init(reply: @escaping @Sendable ([UInt8]) -> [[UInt8]], sender: (any Channel)?) {
        self.reply = reply
        self.sender = sender
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        for datagram in reply(Array(envelope.data.readableBytesView)) {
            let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: datagram))
            if let sender {
                sender.writeAndFlush(out, promise: nil)
            } else {
                context.writeAndFlush(Self.wrapOutboundOut(out), promise: nil)
            }
        }
    }
}

/// Builds replies to a query, for hostile peers.
enum ReplyForge {
    /// A NOERROR answer to `query` with one A record 192.0.2.1, using a compression pointer to the
    /// question name.
    static func validAnswer(to query: [UInt8]) -> [UInt8] {
        var reply = questionEcho(query, answerCount: 1)
        reply += [0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0x0E, 0x10, 0, 4, 192, 0, 2, 1]
        return reply
    }

    /// Header (ID copied, QR set) and the question of `query`, with `answerCount` answers announced.
    static func questionEcho(_ query: [UInt8], answerCount: UInt8) -> [UInt8] {
        var reply = Array(query.prefix(12))
        reply[2] = 0x80 | (query[2] & 0x01)
        reply[3] = 0
        reply[6] = 0
        reply[7] = answerCount
        reply[8] = 0; reply[9] = 0; reply[10] = 0; reply[11] = 0
        var end = 12
        while end < query.count && query[end] != 0 { end += Int(query[end]) + 1 }
        reply += query[12..<min(end + 5, query.count)]
        return reply
    }
}
