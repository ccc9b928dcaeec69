import SeriesStore

/// One batch as the queue stores it: a framed record in a segment file.
///
/// Layout, little-endian: CRC32C (UInt32) of everything after it, payload length (UInt32), sample
/// count (UInt32), oldest sample time in Unix milliseconds (Int64), then the payload (the POST body:
/// a snappy-compressed `WriteRequest`). A record whose length runs past the end of the file or whose
/// CRC does not match is a torn write: recovery cuts the segment there.
struct QueueRecord: Sendable, Hashable {
    /// Bytes before the payload.
    static let headerSize = 20
    /// A length above this is damage, not a batch (a batch is at most a few MiB).
    static let maximumPayload = 64 << 20

    /// The POST body.
    var payload: [UInt8]
    /// The samples the body carries.
    var samples: Int
    /// The oldest sample's time, Unix milliseconds: the queue's age when this record is its head.
    var oldestMilliseconds: Int64

    /// The record's bytes on disk.
    var encoded: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 4)
        bytes.reserveCapacity(Self.headerSize + payload.count)
        append(UInt32(payload.count), to: &bytes)
        append(UInt32(clamping: samples), to: &bytes)
        append(UInt64(bitPattern: oldestMilliseconds), to: &bytes)
        bytes += payload
        let crc = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[4...])) }
        for index in 0..<4 { bytes[index] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * index)) }
        return bytes
    }

    /// What the header at the start of `bytes` says, or `nil` when it is not a plausible header.
    static func header(_ bytes: ArraySlice<UInt8>) -> (crc: UInt32, length: Int, samples: Int, oldest: Int64)? {
        guard bytes.count >= headerSize else { return nil }
        let base = bytes.startIndex
        let length = Int(read(bytes, base + 4, as: UInt32.self))
        guard length <= maximumPayload else { return nil }
        return (read(bytes, base, as: UInt32.self), length, Int(read(bytes, base + 8, as: UInt32.self)),
                Int64(bitPattern: read(bytes, base + 12, as: UInt64.self)))
    }

    /// The record at the start of `bytes`, or `nil` when it is torn or damaged.
    static func decode(_ bytes: ArraySlice<UInt8>) -> QueueRecord? {
        guard let header = header(bytes), bytes.count >= headerSize + header.length else { return nil }
        let end = bytes.startIndex + headerSize + header.length
        let crc = bytes[(bytes.startIndex + 4)..<end].withUnsafeBytes { CRC32C.checksum($0) }
        guard crc == header.crc else { return nil }
        return QueueRecord(payload: Array(bytes[(bytes.startIndex + headerSize)..<end]), samples: header.samples,
                           oldestMilliseconds: header.oldest)
    }

    private func append<Value: FixedWidthInteger>(_ value: Value, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    private static func read<Value: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>, _ offset: Int, as: Value.Type) -> Value {
        var value: Value = 0
        for index in 0..<MemoryLayout<Value>.size { value |= Value(bytes[offset + index]) << (8 * index) }
        return value
    }
}
