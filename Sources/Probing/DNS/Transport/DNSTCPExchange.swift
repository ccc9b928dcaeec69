import NIOCore
import NIOPosix
import WatchCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One question over TCP (RFC 7766): connect, send the 2-byte length and the query, read one
/// length-prefixed reply, close. Everything ends by the deadline.
enum DNSTCPExchange {
    /// What a TCP exchange measured, besides its outcome.
    struct Result: Sendable {
        var outcome: DNSExchangeOutcome
        /// The TCP handshake, when it completed.
        var connectDuration: Duration?
    }

    static func run(
        query: [UInt8], server: SocketAddress, deadline: NIODeadline, group: any EventLoopGroup
    ) async -> Result {
        let connectStart = NIODeadline.now()
        let remaining = deadline - connectStart
        guard remaining > .zero else { return Result(outcome: .failed(.tcpTimeout, "no time left to connect")) }
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(remaining)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(to: server).get()
        } catch {
            return Result(outcome: connectFailure(error))
        }
        let connected = NIODeadline.now()
        let connectDuration = (connected - connectStart).duration
        var framed = ByteBuffer()
        framed.reserveCapacity(query.count + 2)
        framed.writeInteger(UInt16(query.count))
        framed.writeBytes(query)
        let outbound = framed
        let reply: EventLoopFuture<[UInt8]> = channel.eventLoop.submit {
            let promise = channel.eventLoop.makePromise(of: [UInt8].self)
            let handler = DNSTCPReplyHandler(promise: promise)
            do {
                try channel.pipeline.syncOperations.addHandlers([
                    ByteToMessageHandler(DNSTCPFrameDecoder()), handler,
                ])
            } catch {
                // The peer may close between connect and here; the pipeline then refuses handlers.
                handler.finish(.failure(DNSTCPError.closed))
                return promise.futureResult
            }
            guard channel.isActive else {
                handler.finish(.failure(DNSTCPError.closed))
                return promise.futureResult
            }
            channel.writeAndFlush(outbound, promise: nil)
            let boundHandler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
            let timeout = channel.eventLoop.scheduleTask(deadline: deadline) {
                boundHandler.value.finish(.failure(DNSTCPError.deadline))
            }
            promise.futureResult.whenComplete { _ in
                timeout.cancel()
                channel.close(promise: nil)
            }
            return promise.futureResult
        }.flatMap { $0 }
        do {
            let bytes = try await reply.get()
            let elapsed = (NIODeadline.now() - connected).duration
            return Result(outcome: .answer(bytes: bytes, requestDuration: elapsed), connectDuration: connectDuration)
        } catch DNSTCPError.deadline {
            return Result(outcome: .timeout, connectDuration: connectDuration)
        } catch {
            channel.close(promise: nil)
            return Result(
                outcome: .failed(.connectionReset, "the TCP connection closed before the answer: \(error)"),
                connectDuration: connectDuration)
        }
    }

    private static func connectFailure(_ error: any Error) -> DNSExchangeOutcome {
        if case ChannelError.connectTimeout = error {
            return .failed(.tcpTimeout, "TCP connect timed out")
        }
        if let ioError = error as? IOError {
            switch ioError.errnoCode {
            case ECONNREFUSED: return .failed(.tcpRefused, "TCP connection refused")
            case ETIMEDOUT: return .failed(.tcpTimeout, "TCP connect timed out")
            case ENETUNREACH, EHOSTUNREACH: return .failed(.networkUnreachable, "\(ioError)")
            default: break
            }
        }
        return .failed(.connectionReset, "TCP connect failed: \(error)")
    }
}

/// Why a TCP exchange ended without an answer.
enum DNSTCPError: Error {
    /// The deadline passed.
    case deadline
    /// The peer closed the connection first.
    case closed
}

/// Splits a TCP stream into DNS messages by their 2-byte length prefix.
struct DNSTCPFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            buffer.readableBytes >= 2 + Int(length)
        else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        context.fireChannelRead(Self.wrapInboundOut(buffer.readSlice(length: Int(length))!))
        return .continue
    }
}

/// Completes a promise with the first message, or with the reason none came.
private final class DNSTCPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var promise: EventLoopPromise<[UInt8]>?

    init(promise: EventLoopPromise<[UInt8]>) { self.promise = promise }

    /// Completes the promise once; later calls do nothing.
    func finish(_ result: Result<[UInt8], any Error>) {
        guard let promise else { return }
        self.promise = nil
        promise.completeWith(result)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        finish(.success(Array(Self.unwrapInboundIn(data).readableBytesView)))
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(DNSTCPError.closed))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.close(promise: nil)
    }
}
