import NIOCore

/// Whether a reply's question is the one a query asked, compared on the wire bytes.
enum DNSReplyMatch: Equatable {
    case matches
    /// The question could be read and is another one (a late or forged answer): ignore it.
    case differentQuestion
    /// The question cannot be read at all: the reply is malformed.
    case unreadableQuestion

    /// Compares the reply's flags and question with `query`, whose question spans `12..<questionEnd`.
    ///
    /// The query's name is sent lowercase, so the comparison lowercases only the reply (RFC 4343
    /// case-insensitivity; servers may echo a 0x20-randomised spelling). The question of a reply
    /// is never compressed in practice; one that is takes the slow path and is decoded.
    static func classify(_ reply: ByteBuffer, against query: [UInt8], questionEnd: Int) -> DNSReplyMatch {
        let fastMatch = reply.withUnsafeReadableBytes { bytes -> Bool in
            guard bytes.count >= questionEnd,
                bytes[2] & 0x80 != 0,  // QR: a response
                bytes[4] == 0, bytes[5] == 1  // exactly one question
            else { return false }
            for index in DNSHeader.wireLength..<questionEnd
            where DNSName.asciiLower(bytes[index]) != query[index] {
                return false
            }
            return true
        }
        if fastMatch { return .matches }
        let replyBytes = Array(reply.readableBytesView)
        do {
            let (header, question) = try DNSMessage.decodeHeaderAndQuestion(replyBytes)
            guard header.isResponse, let question else { return .differentQuestion }
            var expected = DNSWireReader(bytes: query, offset: DNSHeader.wireLength)
            let asked = try DNSQuestion(from: &expected)
            return question == asked ? .matches : .differentQuestion
        } catch {
            return .unreadableQuestion
        }
    }
}
