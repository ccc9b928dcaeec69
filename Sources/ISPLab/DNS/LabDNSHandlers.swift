import NIOCore

/// Answers DNS over UDP: one datagram in, at most one out.
final class LabDNSDatagramHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let responder: LabDNSResponder

    init(responder: LabDNSResponder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let answer = responder.answer(Array(envelope.data.readableBytesView)) else { return }
        let reply = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: answer.bytes))
        LabDNSHandlers.send(reply, after: answer.delay, on: context.channel)
    }
}

/// Splits a DNS-over-TCP stream into messages at their 2-byte length prefixes (RFC 1035 §4.2.2).
struct DNSStreamFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
              buffer.readableBytes >= 2 + Int(length)
        else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: Int(length))!))
        return .continue
    }
}

/// Answers DNS over TCP, one message at a time, each with its length prefix.
final class LabDNSStreamHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let responder: LabDNSResponder

    init(responder: LabDNSResponder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard let answer = responder.answer(Array(message.readableBytesView)) else { return }
        var framed = context.channel.allocator.buffer(capacity: answer.bytes.count + 2)
        framed.writeInteger(UInt16(answer.bytes.count))
        framed.writeBytes(answer.bytes)
        LabDNSHandlers.send(framed, after: answer.delay, on: context.channel)
    }
}

enum LabDNSHandlers {
    /// Writes `reply` now, or after `delay` (a `slow` fault) without holding the event loop.
    static func send<Reply: Sendable>(_ reply: Reply, after delay: Duration, on channel: any Channel) {
        if delay <= .zero {
            channel.writeAndFlush(reply, promise: nil)
        } else {
            channel.eventLoop.scheduleTask(in: .nanoseconds(delay.nanoseconds)) {
                channel.writeAndFlush(reply, promise: nil)
            }
        }
    }
}
