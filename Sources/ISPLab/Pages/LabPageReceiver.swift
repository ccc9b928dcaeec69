import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A webhook receiver on loopback standing in for the on-call's pager: it answers every POST with
/// 200, records the alerts of its body and hands each to `onPage` as it arrives.
public final class LabPageReceiver: Sendable {
    /// The URL to configure as the `webhook` receiver.
    public let url: String
    private let channel: any Channel
    private let log: PageLog

    private init(url: String, channel: any Channel, log: PageLog) {
        self.url = url
        self.channel = channel
        self.log = log
    }

    /// Listens on `host`, a free port.
    public static func start(
        host: String = "127.0.0.1", group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onPage: @escaping @Sendable (ReceivedPage) -> Void = { _ in }
    ) async throws -> LabPageReceiver {
        let log = PageLog()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(PageRequestHandler { pages in
                        log.append(pages)
                        for page in pages { onPage(page) }
                    })
                }
            }
            .bind(host: host, port: 0).get()
        return LabPageReceiver(url: "http://\(host):\(channel.localAddress?.port ?? 0)/pages", channel: channel, log: log)
    }

    /// Every page received so far, in arrival order.
    public var pages: [ReceivedPage] { log.pages.withLock { $0 } }

    /// Stops listening.
    public func stop() async {
        try? await channel.close()
    }
}

/// The pages received, shared by the connections' handlers and the receiver.
private final class PageLog: Sendable {
    let pages = Mutex<[ReceivedPage]>([])

    func append(_ received: [ReceivedPage]) {
        pages.withLock { $0 += received }
    }
}

/// Collects a request's body and answers 200 once it is complete.
private final class PageRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let deliver: @Sendable ([ReceivedPage]) -> Void
    private var body = ByteBuffer()
    private var keepAlive = false

    init(deliver: @escaping @Sendable ([ReceivedPage]) -> Void) {
        self.deliver = deliver
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            body.clear()
            keepAlive = head.isKeepAlive
        case .body(var chunk):
            // Bounded: an alert is a few kilobytes.
            if body.readableBytes < 1 << 20 { body.writeBuffer(&chunk) }
        case .end:
            deliver(ReceivedPage.decode(Data(body.readableBytesView), receivedAt: Date()))
            var headers = HTTPHeaders([("Content-Length", "0")])
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            let keepAlive = keepAlive
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { channel.close(promise: nil) }
            }
        }
    }
}
