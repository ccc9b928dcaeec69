import WatchCore

/// The ICMP and ICMPv6 messages the prober sends and understands, encoded and decoded in memory.
///
/// Every echo request carries a 64-bit token as the first 8 bytes of its payload. With datagram
/// ("ping") sockets the kernel replaces the identifier with the socket's own, so the token and the
/// sequence number are what tie a reply to its request.
enum ICMPEchoPacket {
    /// Bytes of payload the token needs; shorter payloads are padded up to it.
    static let tokenSize = 8
    static let headerSize = 8

    /// Writes an echo request into `buffer`; the number of bytes written.
    ///
    /// The checksum is computed for ICMPv4 (a raw socket sends it as is; a datagram socket
    /// recomputes it anyway). For ICMPv6 the kernel always computes it over the pseudo-header.
    static func writeRequest(into buffer: UnsafeMutableRawBufferPointer, family: IPFamily, identifier: UInt16,
                             sequence: UInt16, token: UInt64, payloadSize: Int) -> Int
    {
        let payload = max(payloadSize, tokenSize)
        let length = min(headerSize + payload, buffer.count)
        buffer[0] = family == .v4 ? 8 : 128
        buffer[1] = 0
        buffer.storeBytes(of: 0, toByteOffset: 2, as: UInt16.self)
        buffer.storeBytes(of: identifier.bigEndian, toByteOffset: 4, as: UInt16.self)
        buffer.storeBytes(of: sequence.bigEndian, toByteOffset: 6, as: UInt16.self)
        buffer.storeBytes(of: token.bigEndian, toByteOffset: 8, as: UInt64.self)
        var index = headerSize + tokenSize
        while index < length {
            buffer[index] = UInt8(truncatingIfNeeded: index)
            index += 1
        }
        if family == .v4 {
            let sum = checksum(UnsafeRawBufferPointer(rebasing: buffer[0..<length]))
            buffer.storeBytes(of: sum.bigEndian, toByteOffset: 2, as: UInt16.self)
        }
        return length
    }

    /// The Internet checksum (RFC 1071) of `bytes`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum &+= UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum &+= UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) &+ (sum >> 16) }
        return ~UInt16(truncatingIfNeeded: sum)
    }

    /// An ICMP message received on the prober's socket.
    enum Message: Equatable {
        /// An echo reply; `token` is `nil` when the payload is too short to hold one.
        case echoReply(identifier: UInt16, sequence: UInt16, token: UInt64?)
        /// A destination unreachable about one of our echo requests, quoted back to us.
        case unreachable(code: UInt8, identifier: UInt16, sequence: UInt16, token: UInt64?, destination: IPAddress)
        /// Anything else (other types, a quoted datagram that is not an echo request, garbage).
        case other
    }

    /// Decodes a received message. With a raw IPv4 socket the datagram starts with the IP header
    /// (`includesIPHeader`), whose TTL is returned as the hop limit.
    static func parse(_ bytes: UnsafeRawBufferPointer, family: IPFamily, includesIPHeader: Bool)
        -> (message: Message, hopLimit: Int?)
    {
        var offset = 0
        var hopLimit: Int?
        if includesIPHeader {
            guard let headerLength = ipv4HeaderLength(bytes, at: 0) else { return (.other, nil) }
            hopLimit = Int(bytes[8])
            offset = headerLength
        }
        guard bytes.count >= offset + headerSize else { return (.other, hopLimit) }
        let type = bytes[offset]
        let code = bytes[offset + 1]
        let replyType: UInt8 = family == .v4 ? 0 : 129
        let unreachableType: UInt8 = family == .v4 ? 3 : 1
        switch type {
        case replyType:
            let echo = echoFields(bytes, at: offset)
            return (.echoReply(identifier: echo.identifier, sequence: echo.sequence, token: echo.token), hopLimit)
        case unreachableType:
            return (quotedEcho(bytes, at: offset + headerSize, family: family, code: code), hopLimit)
        default:
            return (.other, hopLimit)
        }
    }

    private static func ipv4HeaderLength(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        guard bytes.count >= offset + 20, bytes[offset] >> 4 == 4 else { return nil }
        let length = Int(bytes[offset] & 0x0F) * 4
        return length >= 20 && bytes.count >= offset + length ? length : nil
    }

    private static func echoFields(_ bytes: UnsafeRawBufferPointer, at offset: Int)
        -> (identifier: UInt16, sequence: UInt16, token: UInt64?)
    {
        let identifier = UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self))
        let sequence = UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + 6, as: UInt16.self))
        let token = bytes.count >= offset + headerSize + tokenSize
            ? UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + headerSize, as: UInt64.self)) : nil
        return (identifier, sequence, token)
    }

    /// The echo request quoted in an ICMP error: the original IP header, then our ICMP header and
    /// (Linux quotes up to 576 bytes in all) our payload.
    private static func quotedEcho(_ bytes: UnsafeRawBufferPointer, at offset: Int, family: IPFamily, code: UInt8)
        -> Message
    {
        let destination: IPAddress
        let echoOffset: Int
        switch family {
        case .v4:
            guard let headerLength = ipv4HeaderLength(bytes, at: offset), bytes[offset + 9] == 1 else { return .other }
            destination = .v4(bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt32.self))
            echoOffset = offset + headerLength
        case .v6:
            guard bytes.count >= offset + 40, bytes[offset] >> 4 == 6, bytes[offset + 6] == 58 else { return .other }
            destination = .v6(bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self),
                              bytes.loadUnaligned(fromByteOffset: offset + 32, as: UInt64.self))
            echoOffset = offset + 40
        }
        let requestType: UInt8 = family == .v4 ? 8 : 128
        guard bytes.count >= echoOffset + headerSize, bytes[echoOffset] == requestType else { return .other }
        let echo = echoFields(bytes, at: echoOffset)
        return .unreachable(code: code, identifier: echo.identifier, sequence: echo.sequence, token: echo.token,
                            destination: destination)
    }
}
