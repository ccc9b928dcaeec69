/// The responder's wire codec: reads the question of a query and writes the answer a resolver would
/// give (RFC 1035 §4.1). Queries carry their name uncompressed, so no pointer is followed.
struct LabDNSReply: Equatable {
    /// The reply's bytes.
    var bytes: [UInt8]

    static let noError: UInt8 = 0
    static let serverFailure: UInt8 = 2
    static let refused: UInt8 = 5
    static let typeA: UInt16 = 1

    /// The reply to `query` with `rcode`; with NOERROR, an A question gets one A record for
    /// `address` (TTL 60) and any other type no records. Nil when `query` is not a query.
    init?(answering query: [UInt8], rcode: UInt8, address: [UInt8]) {
        guard query.count >= 12, query[2] & 0x80 == 0, Self.uint16(query, 4) >= 1 else { return nil }
        var offset = 12
        while true {
            guard offset < query.count else { return nil }
            let length = Int(query[offset])
            if length == 0 { break }
            guard length < 64 else { return nil }
            offset += 1 + length
        }
        let questionEnd = offset + 1 + 4
        guard questionEnd <= query.count else { return nil }
        let type = Self.uint16(query, offset + 1)
        let answers: UInt16 = rcode == Self.noError && type == Self.typeA ? 1 : 0
        // ID; QR, the query's opcode and RD; RA and the rcode; one question, the answers, nothing else.
        var bytes: [UInt8] = [query[0], query[1], 0x80 | (query[2] & 0x79), 0x80 | (rcode & 0x0F), 0, 1, 0, UInt8(answers), 0, 0, 0, 0]
        bytes += query[12..<questionEnd]
        if answers == 1 {
            // The name as a pointer to the question's (offset 12), type A, class IN, TTL 60, 4 bytes.
            bytes += [0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4] + address
        }
        self.bytes = bytes
    }

    private static func uint16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }
}
