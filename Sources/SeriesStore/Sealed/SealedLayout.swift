/// Fixed parts of a sealed file: block headers and the trailer.
///
/// Block header (24 bytes): `magic u32 "SBLK" · series u32 · count u32 · payloadLength u32 ·
/// payloadCRC u32 · headerCRC u32` (the header CRC covers its first 20 bytes).
///
/// Trailer (24 bytes, the file's last): `indexOffset u64 · indexLength u32 · indexCRC u32 ·
/// blockCount u32 · magic u32 "SEND"`.
enum SealedLayout {
    static let blockMagic: UInt32 = 0x4B4C_4253  // "SBLK" little-endian
    static let trailerMagic: UInt32 = 0x444E_4553  // "SEND" little-endian
    static let blockHeaderLength = 24
    static let trailerLength = 24
    /// The largest payload accepted (a block of 65,536 results with every phase stays far below).
    static let maximumPayloadLength = 64 << 20
    /// The most results in one block.
    static let maximumBlockCount = 65_536

    struct BlockHeader {
        var series: SeriesID
        var count: Int
        var payloadLength: Int
        var payloadCRC: UInt32
    }

    static func encodeBlockHeader(_ header: BlockHeader, into writer: inout ByteWriter) {
        let start = writer.count
        writer.uint32(blockMagic)
        writer.uint32(header.series)
        writer.uint32(UInt32(header.count))
        writer.uint32(UInt32(header.payloadLength))
        writer.uint32(header.payloadCRC)
        let crc = writer.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<(start + 20)])) }
        writer.uint32(crc)
    }

    /// Decodes and checks the block header at `offset`; the payload is checked separately.
    static func decodeBlockHeader(_ bytes: UnsafeRawBufferPointer, at offset: Int, end: Int) throws(DecodeFailure) -> BlockHeader {
        guard offset >= 0, end - offset >= blockHeaderLength, end <= bytes.count else { throw DecodeFailure("block header runs past the data") }
        var cursor = ByteCursor(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + blockHeaderLength)]))
        guard try cursor.uint32() == blockMagic else { throw DecodeFailure("bad block magic") }
        let series = try cursor.uint32()
        let count = Int(try cursor.uint32())
        let payloadLength = Int(try cursor.uint32())
        let payloadCRC = try cursor.uint32()
        let headerCRC = try cursor.uint32()
        guard headerCRC == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + 20)])) else {
            throw DecodeFailure("block header CRC mismatch")
        }
        guard count >= 1, count <= maximumBlockCount else { throw DecodeFailure("block count out of bounds") }
        guard payloadLength <= maximumPayloadLength, payloadLength <= end - offset - blockHeaderLength else {
            throw DecodeFailure("block payload runs past the data")
        }
        return BlockHeader(series: series, count: count, payloadLength: payloadLength, payloadCRC: payloadCRC)
    }
}
