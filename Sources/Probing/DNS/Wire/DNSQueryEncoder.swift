import WatchCore

/// Builds the wire form of a query: header, one question and, optionally, an EDNS0 OPT record.
///
/// Queries carry one name, so they are written without compression.
public enum DNSQueryEncoder {
    /// Encodes a standard query.
    /// - Parameters:
    ///   - id: the query ID.
    ///   - question: the question to ask.
    ///   - recursionDesired: whether to set the RD bit.
    ///   - ednsBufferSize: the UDP payload size to advertise in an OPT record (RFC 6891 §6.2.3),
    ///     or `nil` for no OPT record. Values under 512 are raised to 512.
    /// - Returns: the message bytes.
    public static func encode(
        id: UInt16, question: DNSQuestion, recursionDesired: Bool, ednsBufferSize: Int?
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(DNSHeader.wireLength + question.name.wire.count + 4 + 11)
        let header = DNSHeader(
            id: id, flags: DNSHeader.queryFlags(recursionDesired: recursionDesired), questionCount: 1,
            additionalCount: ednsBufferSize == nil ? 0 : 1)
        header.encode(into: &bytes)
        question.encode(into: &bytes)
        if let size = ednsBufferSize {
            let payload = UInt16(clamping: max(512, size))
            // Root name, type OPT, class = payload size, TTL = extended rcode 0 / version 0 / no DO,
            // no options.
            bytes.append(contentsOf: [0, 0, 41, UInt8(payload >> 8), UInt8(payload & 0xFF), 0, 0, 0, 0, 0, 0])
        }
        return bytes
    }

    /// Overwrites the ID of an encoded message in place.
    static func setID(_ id: UInt16, in bytes: inout [UInt8]) {
        bytes[0] = UInt8(id >> 8)
        bytes[1] = UInt8(id & 0xFF)
    }
}
