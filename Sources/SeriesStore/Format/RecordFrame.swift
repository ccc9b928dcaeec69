/// The framing of records in active segments and in the series index:
/// `length u32 · crc32c u32 · kind u8 · payload[length − 1]`, the CRC covering kind and payload.
///
/// A reader skips kinds it does not know (the length says how far), which is how old readers
/// survive new record kinds.
enum RecordFrame {
    /// Bytes before the kind: length and CRC.
    static let prefixLength = 8
    /// The largest frame body accepted; anything longer is damage, not data.
    static let maximumBodyLength = 1 << 20

    /// Record kinds. Never renumber.
    enum Kind: UInt8 {
        /// A probe result, payload version 1 (see `ResultRecordCodec`).
        case result = 1
        /// A series index entry (see `SeriesIndexFile`).
        case seriesEntry = 2
    }

    /// Appends a frame whose body is written by `body` (which appends the payload after the kind).
    @inline(__always)
    static func append(kind: Kind, to writer: inout ByteWriter, body: (inout ByteWriter) -> Void) {
        let start = writer.count
        writer.uint32(0)
        writer.uint32(0)
        writer.byte(kind.rawValue)
        body(&writer)
        let bodyLength = writer.count - start - prefixLength
        let crc = writer.bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[(start + prefixLength)...]))
        }
        writer.patchUInt32(UInt32(bodyLength), at: start)
        writer.patchUInt32(crc, at: start + 4)
    }

    /// Why a walk over frames stopped before the end of the bytes.
    enum Stop: Equatable {
        /// Fewer bytes left than a frame's prefix or its stated length: a torn write.
        case truncated
        /// A zero or oversized length.
        case badLength
        /// The CRC does not match the body.
        case checksumMismatch
    }

    /// The result of walking frames.
    struct Walk {
        /// Where the last valid frame ends.
        var validEnd: Int
        /// How many valid frames were seen.
        var frames: Int
        /// Why the walk stopped early, or `nil` when it consumed every byte.
        var stop: Stop?
    }

    /// The payload (after the kind) of the frame at `offset`, which a walk has already found valid:
    /// nothing is checked again.
    static func payload(ofValidFrameAt offset: Int, in bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        return UnsafeRawBufferPointer(rebasing: bytes[(offset + prefixLength + 1)..<(offset + prefixLength + length)])
    }

    /// Walks frames from `start`, calling `visit(kind, payload, frameOffset)` for each valid one, and
    /// stops at the first invalid frame.
    static func walk(
        _ bytes: UnsafeRawBufferPointer, from start: Int,
        visit: (UInt8, UnsafeRawBufferPointer, Int) throws -> Void
    ) rethrows -> Walk {
        var offset = start
        var frames = 0
        let end = bytes.count
        while offset < end {
            guard end - offset >= prefixLength + 1 else { return Walk(validEnd: offset, frames: frames, stop: .truncated) }
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            guard length >= 1, length <= maximumBodyLength else {
                return Walk(validEnd: offset, frames: frames, stop: .badLength)
            }
            guard end - offset - prefixLength >= length else {
                return Walk(validEnd: offset, frames: frames, stop: .truncated)
            }
            let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            let body = UnsafeRawBufferPointer(rebasing: bytes[(offset + prefixLength)..<(offset + prefixLength + length)])
            guard CRC32C.checksum(body) == stored else {
                return Walk(validEnd: offset, frames: frames, stop: .checksumMismatch)
            }
            try visit(body[0], UnsafeRawBufferPointer(rebasing: body[1...]), offset)
            frames += 1
            offset += prefixLength + length
        }
        return Walk(validEnd: offset, frames: frames, stop: nil)
    }
}
