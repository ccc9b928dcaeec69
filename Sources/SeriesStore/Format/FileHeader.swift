/// The 32-byte header that starts every store file: what the file is, its format version, the
/// segment sequence it belongs to, and a CRC of the header itself.
///
/// `magic[8] · version u16 · reserved u16 · sequence u64 · createdMillis i64 · crc32c(bytes 0..<28) u32`
struct FileHeader: Equatable {
    /// The kinds of store file, by magic.
    enum Kind: CaseIterable {
        case activeSegment
        case sealedSegment
        case seriesIndex

        var magic: [UInt8] {
            switch self {
            case .activeSegment: Array("ISPWWAL\0".utf8)
            case .sealedSegment: Array("ISPWSEAL".utf8)
            case .seriesIndex: Array("ISPWSIDX".utf8)
            }
        }
    }

    static let length = 32
    /// The only version this build writes and reads.
    static let currentVersion: UInt16 = 1

    var kind: Kind
    var version: UInt16 = FileHeader.currentVersion
    var sequence: UInt64
    var createdMillis: Int64

    func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: Self.length)
        writer.append(kind.magic)
        writer.uint16(version)
        writer.uint16(0)
        writer.uint64(sequence)
        writer.int64(createdMillis)
        writer.uint32(writer.bytes.withUnsafeBytes { CRC32C.checksum($0) })
        return writer.bytes
    }

    /// Decodes and checks a header of the expected kind.
    static func decode(_ bytes: UnsafeRawBufferPointer, expecting kind: Kind) throws(DecodeFailure) -> FileHeader {
        guard bytes.count >= length else { throw DecodeFailure("file shorter than its 32-byte header") }
        guard bytes[0..<8].elementsEqual(kind.magic) else { throw DecodeFailure("bad magic: not a store file of this kind") }
        var cursor = ByteCursor(bytes, offset: 8)
        let version = try cursor.uint16()
        _ = try cursor.uint16()
        let sequence = try cursor.uint64()
        let created = try cursor.int64()
        let crc = try cursor.uint32()
        guard crc == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<28])) else {
            throw DecodeFailure("header CRC mismatch")
        }
        guard version == currentVersion else { throw DecodeFailure("unsupported format version") }
        return FileHeader(kind: kind, version: version, sequence: sequence, createdMillis: created)
    }
}
