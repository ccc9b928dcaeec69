/// Why bytes could not be decoded; turned into a `StoreError` with file and offset by the caller.
struct DecodeFailure: Error, CustomStringConvertible {
    let reason: StaticString
    init(_ reason: StaticString) { self.reason = reason }
    var description: String { "\(reason)" }
}

/// A bounds-checked read position over bytes that may be hostile: every read checks what is left,
/// so a wrong length or count throws instead of reading out of bounds.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset >= bytes.count }

    @inline(__always) mutating func byte() throws(DecodeFailure) -> UInt8 {
        guard offset < bytes.count else { throw DecodeFailure("unexpected end of data") }
        defer { offset += 1 }
        return bytes.load(fromByteOffset: offset, as: UInt8.self)
    }

    @inline(__always) mutating func uint16() throws(DecodeFailure) -> UInt16 {
        guard remaining >= 2 else { throw DecodeFailure("unexpected end of data") }
        defer { offset += 2 }
        return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always) mutating func uint32() throws(DecodeFailure) -> UInt32 {
        guard remaining >= 4 else { throw DecodeFailure("unexpected end of data") }
        defer { offset += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always) mutating func uint64() throws(DecodeFailure) -> UInt64 {
        guard remaining >= 8 else { throw DecodeFailure("unexpected end of data") }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always) mutating func int64() throws(DecodeFailure) -> Int64 { Int64(bitPattern: try uint64()) }

    @inline(__always) mutating func varint() throws(DecodeFailure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw DecodeFailure("varint runs past the end") }
            let next = bytes.load(fromByteOffset: offset, as: UInt8.self)
            offset += 1
            guard shift <= 63 else { throw DecodeFailure("varint longer than 10 bytes") }
            result |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return result }
            shift += 7
        }
    }

    @inline(__always) mutating func signedVarint() throws(DecodeFailure) -> Int64 { Zigzag.decode(try varint()) }

    /// A varint that must not exceed `limit` (a count or length about to size something).
    @inline(__always) mutating func count(atMost limit: Int) throws(DecodeFailure) -> Int {
        let value = try varint()
        guard value <= UInt64(max(limit, 0)) else { throw DecodeFailure("count or length out of bounds") }
        return Int(value)
    }

    /// The next `length` bytes as a sub-buffer.
    mutating func slice(_ length: Int) throws(DecodeFailure) -> UnsafeRawBufferPointer {
        guard length >= 0, length <= remaining else { throw DecodeFailure("length runs past the end") }
        defer { offset += length }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
    }

    mutating func string() throws(DecodeFailure) -> String {
        let length = try count(atMost: remaining)
        let raw = try slice(length)
        return String(decoding: raw, as: UTF8.self)
    }
}
