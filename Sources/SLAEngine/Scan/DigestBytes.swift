/// LEB128 varints for digests and rollup files (the layout in docs/FORMAT.md, "Rollup file").
enum DigestBytes {
    @inline(__always)
    static func write(_ value: UInt64, into bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    @inline(__always)
    static func writeSigned(_ value: Int64, into bytes: inout [UInt8]) {
        write(UInt64(bitPattern: (value << 1) ^ (value >> 63)), into: &bytes)
    }

    static func writeUInt32(_ value: UInt32, into bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func writeUInt64(_ value: UInt64, into bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Why digest or rollup bytes could not be read.
struct DigestDecodingError: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reads varints from untrusted bytes, checking every bound.
struct DigestCursor {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var isAtEnd: Bool { offset >= bytes.count }

    @inline(__always)
    mutating func varint() throws(DigestDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw DigestDecodingError("truncated varint at byte \(offset)") }
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            guard shift < 64 else { throw DigestDecodingError("varint too long at byte \(offset)") }
        }
    }

    @inline(__always)
    mutating func signedVarint() throws(DigestDecodingError) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// A varint that must be at most `limit`.
    @inline(__always)
    mutating func count(atMost limit: UInt64) throws(DigestDecodingError) -> Int {
        let value = try varint()
        guard value <= limit else { throw DigestDecodingError("value \(value) above \(limit) at byte \(offset)") }
        return Int(value)
    }

    mutating func uint32() throws(DigestDecodingError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw DigestDecodingError("truncated u32 at byte \(offset)") }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        offset += 4
        return UInt32(littleEndian: value)
    }

    mutating func uint64() throws(DigestDecodingError) -> UInt64 {
        guard offset + 8 <= bytes.count else { throw DigestDecodingError("truncated u64 at byte \(offset)") }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
        return UInt64(littleEndian: value)
    }
}
