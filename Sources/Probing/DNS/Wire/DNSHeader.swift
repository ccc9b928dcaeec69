/// The fixed 12-byte header of a DNS message (RFC 1035 §4.1.1).
public struct DNSHeader: Sendable, Hashable {
    /// The query ID that pairs an answer with its question.
    public var id: UInt16
    /// The flags word: QR, opcode, AA, TC, RD, RA, Z, AD, CD and the low 4 bits of the rcode.
    public var flags: UInt16
    public var questionCount: UInt16
    public var answerCount: UInt16
    public var authorityCount: UInt16
    public var additionalCount: UInt16

    /// The size of the header on the wire.
    public static let wireLength = 12

    /// Creates a header.
    public init(
        id: UInt16, flags: UInt16, questionCount: UInt16 = 0, answerCount: UInt16 = 0,
        authorityCount: UInt16 = 0, additionalCount: UInt16 = 0
    ) {
        self.id = id
        self.flags = flags
        self.questionCount = questionCount
        self.answerCount = answerCount
        self.authorityCount = authorityCount
        self.additionalCount = additionalCount
    }

    /// Whether the message is a response (QR bit).
    public var isResponse: Bool { flags & 0x8000 != 0 }
    /// Whether the message was truncated to fit the transport (TC bit).
    public var isTruncated: Bool { flags & 0x0200 != 0 }
    /// Whether recursion was desired (RD bit).
    public var recursionDesired: Bool { flags & 0x0100 != 0 }
    /// Whether the server is authoritative for the answer (AA bit).
    public var isAuthoritative: Bool { flags & 0x0400 != 0 }
    /// The low 4 bits of the response code; EDNS extends it (see ``DNSMessage/rcode``).
    public var baseRcode: Int { Int(flags & 0x000F) }

    /// The flags of a standard query.
    static func queryFlags(recursionDesired: Bool) -> UInt16 { recursionDesired ? 0x0100 : 0 }

    init(from reader: inout DNSWireReader) throws(DNSWireError) {
        id = try reader.readUInt16()
        flags = try reader.readUInt16()
        questionCount = try reader.readUInt16()
        answerCount = try reader.readUInt16()
        authorityCount = try reader.readUInt16()
        additionalCount = try reader.readUInt16()
    }

    func encode(into bytes: inout [UInt8]) {
        for field in [id, flags, questionCount, answerCount, authorityCount, additionalCount] {
            bytes.append(UInt8(field >> 8))
            bytes.append(UInt8(field & 0xFF))
        }
    }
}
