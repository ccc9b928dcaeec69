import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The HTTP server of `ispwatch run`'s live metrics: `GET /metrics` (the Prometheus text format
/// 0.0.4) and `GET /healthz` (`ok`), `HEAD` for both; 404 for other paths, 405 for other methods.
///
/// A ServiceLifecycle `Service`: ``run()`` listens until graceful shutdown (or cancellation), then
/// closes the listening socket and every open connection and returns.
public struct MetricsServer: Service {
    private let address: MetricsAddress
    private let metrics: ProbeMetrics
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let onBound: @Sendable (SocketAddress) -> Void

    /// Creates a server; nothing listens before ``run()``.
    ///
    /// - Parameters:
    ///   - address: where to listen; port 0 lets the system choose.
    ///   - metrics: the registry `/metrics` renders.
    ///   - logger: where the listening address and connection errors go.
    ///   - eventLoopGroup: the loops serving the sockets.
    ///   - onBound: called once with the address actually bound (the chosen port when `address`
    ///     asked for port 0), before the first request is accepted.
    public init(
        address: MetricsAddress,
        metrics: ProbeMetrics,
        logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onBound: @escaping @Sendable (SocketAddress) -> Void = { _ in }
    ) {
        self.address = address
        self.metrics = metrics
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.onBound = onBound
    }

    /// Listens and serves until graceful shutdown or cancellation.
    ///
    /// - Throws: ``MetricsServerError`` when the address cannot be bound (in use, not local, bad
    ///   host name).
    public func run() async throws {
        let listener = try await bind()
        if let local = listener.channel.localAddress { onBound(local) }
        logger.info("serving metrics", metadata: [
            "metrics.address": "\(listener.channel.localAddress.map(String.init(describing:)) ?? address.description)"
        ])
        // Cancelling on graceful shutdown ends the accept loop and every connection's read loop;
        // `executeThenClose` then closes their sockets.
        await cancelWhenGracefulShutdown {
            do {
                try await listener.executeThenClose { connections in
                    try await withThrowingDiscardingTaskGroup { group in
                        for try await connection in connections {
                            group.addTask { await serve(connection) }
                        }
                    }
                }
            } catch {
                if !Task.isCancelled {
                    logger.warning("metrics listener failed", metadata: ["error": "\(error)"])
                }
            }
        }
        logger.info("metrics server stopped")
    }

    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private func bind() async throws(MetricsServerError) -> NIOAsyncChannel<Connection, Never> {
        do {
            return try await ServerBootstrap(group: eventLoopGroup)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: address.host, port: address.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw MetricsServerError(address: address, reason: "\(error)")
        }
    }

    /// Answers the requests of one connection in order until the client closes it, asks to, or the
    /// server stops.
    private func serve(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { requests, responses in
                var head: HTTPRequestHead?
                for try await part in requests {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                    case .body:
                        continue
                    case .end:
                        guard let request = head else { continue }
                        head = nil
                        try await respond(to: request, with: responses)
                        if !request.isKeepAlive { return }
                    }
                }
            }
        } catch {
            logger.debug("metrics connection ended with an error", metadata: ["error": "\(error)"])
        }
    }

    private func respond(to request: HTTPRequestHead, with responses: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>)
        async throws
    {
        let endpoint = MetricsEndpoint(method: request.method, uri: request.uri)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: endpoint.contentType)
        if !request.isKeepAlive { headers.add(name: "Connection", value: "close") }
        if endpoint == .methodNotAllowed { headers.add(name: "Allow", value: "GET, HEAD") }

        guard endpoint == .metrics else {
            let body = ByteBuffer(string: endpoint.fixedBody)
            headers.add(name: "Content-Length", value: String(body.readableBytes))
            try await responses.write(.head(HTTPResponseHead(version: request.version, status: endpoint.status,
                                                              headers: headers)))
            // For HEAD, NIO's encoder keeps the headers and drops the body.
            if request.method != .HEAD { try await responses.write(.body(.byteBuffer(body))) }
            try await responses.write(.end(nil))
            return
        }
        // The exposition is streamed (chunked transfer coding, no Content-Length): at 100,000
        // series it is hundreds of megabytes, rendered one piece at a time as the socket drains,
        // each piece a short slice of work. A HEAD gets the same headers and renders nothing.
        try await responses.write(.head(HTTPResponseHead(version: request.version, status: endpoint.status,
                                                          headers: headers)))
        if request.method != .HEAD {
            let metrics = self.metrics
            // Copying every series for the snapshot is the one long step: off the cooperative pool.
            var pieces = try await NIOThreadPool.singleton.runIfActive { metrics.exposition() }
            while let piece = pieces.next() {
                try await responses.write(.body(.byteBuffer(piece)))
            }
        }
        try await responses.write(.end(nil))
    }
}
