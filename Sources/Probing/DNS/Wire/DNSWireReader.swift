/// Reads a DNS message field by field, checking every read against the end of the buffer.
///
/// Reads throw ``DNSWireError`` instead of trapping, whatever the bytes are.
struct DNSWireReader {
    /// The whole message, needed to follow compression pointers.
    let bytes: [UInt8]
    /// The next byte to read.
    var offset: Int
    /// Reads stop here (the end of the message, or of a record's data while decoding it).
    var limit: Int

    /// The most compression pointers one name may follow; a legitimate name needs at most one per
    /// label, and a name has at most 127 labels.
    static let maximumPointerJumps = 127

    init(bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
        self.limit = bytes.count
    }

    var remaining: Int { limit - offset }

    mutating func readUInt8() throws(DNSWireError) -> UInt8 {
        guard offset < limit else { throw .truncated(at: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt16() throws(DNSWireError) -> UInt16 {
        guard limit - offset >= 2 else { throw .truncated(at: offset) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func readUInt32() throws(DNSWireError) -> UInt32 {
        guard limit - offset >= 4 else { throw .truncated(at: offset) }
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }

    mutating func readBytes(_ count: Int) throws(DNSWireError) -> ArraySlice<UInt8> {
        guard count >= 0, limit - offset >= count else { throw .truncated(at: offset) }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// Reads a possibly compressed name (RFC 1035 §4.1.4).
    ///
    /// A pointer must point strictly before the start of every label run read so far for this name,
    /// which rules out loops and forward references; the number of jumps and the name length are
    /// bounded too. The reader continues after the first pointer (or the root label).
    mutating func readName() throws(DNSWireError) -> DNSName {
        var wire: [UInt8] = []
        wire.reserveCapacity(32)
        var position = offset
        var lowestRunStart = offset
        var resumeOffset: Int? = nil
        var jumps = 0
        while true {
            // Labels inside record data are bounded by the record (limit); pointers may lead to
            // earlier parts of the message, which are bounded by the message end.
            let end = resumeOffset == nil ? limit : bytes.count
            guard position < end else { throw .truncated(at: position) }
            let length = bytes[position]
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    wire.append(0)
                    guard wire.count <= DNSName.maximumWireLength else { throw .nameTooLong(at: position) }
                    offset = resumeOffset ?? position + 1
                    return DNSName(uncheckedWire: wire)
                }
                let labelEnd = position + 1 + Int(length)
                guard labelEnd <= end else { throw .truncated(at: position) }
                guard wire.count + 1 + Int(length) + 1 <= DNSName.maximumWireLength else {
                    throw .nameTooLong(at: position)
                }
                wire.append(contentsOf: bytes[position..<labelEnd])
                position = labelEnd
            case 0xC0:
                guard position + 1 < end else { throw .truncated(at: position) }
                let target = Int(length & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < lowestRunStart else { throw .badPointer(at: position) }
                jumps += 1
                guard jumps <= Self.maximumPointerJumps else { throw .tooManyPointers(at: position) }
                if resumeOffset == nil { resumeOffset = position + 2 }
                lowestRunStart = target
                position = target
            default:
                // 01 and 10 prefixes were extended labels, retired by RFC 6891; a length byte of
                // 64–191 is best described as a label over 63 bytes.
                throw .labelTooLong(at: position)
            }
        }
    }
}
