/// Why a serialized sketch could not be read.
public struct LatencySketchDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, for humans.
    public var description: String
}

extension LatencySketch {
    /// The serialization version written by ``serialize(into:)``.
    public static let serializationVersion: UInt8 = 1

    /// Appends the sketch's compact encoding to `bytes` (layout in `docs/FORMAT.md`, "Latency sketch").
    ///
    /// `version u8 · zeroCount varint · binCount varint · [firstIndex zigzag-varint · count varint ×
    /// binCount] · [min f64 · max f64 · sum f64 when count > 0]`. Bins are dense from the lowest to
    /// the highest non-empty bucket: latencies of one series fill most buckets between, so one byte
    /// per bucket beats an (index, count) pair per non-empty bucket.
    public func serialize(into bytes: inout [UInt8]) {
        bytes.append(Self.serializationVersion)
        SketchVarint.write(zeroCount, into: &bytes)
        let first = bins.firstIndex { $0 > 0 }
        let last = bins.lastIndex { $0 > 0 }
        if let first, let last {
            SketchVarint.write(UInt64(last - first + 1), into: &bytes)
            SketchVarint.writeSigned(Int64(minimumIndex + first), into: &bytes)
            for index in first...last { SketchVarint.write(bins[index], into: &bytes) }
        } else {
            SketchVarint.write(0, into: &bytes)
        }
        if count > 0 {
            for value in [min, max, sum] {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
    }

    /// The compact encoding as a new array.
    public func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        serialize(into: &bytes)
        return bytes
    }

    /// The most bins a decoded sketch may span: far beyond any latency range (1 ns … 10⁹ s spans
    /// about 2,100 buckets at 1 %), so a larger count is hostile.
    static let maximumDecodedBins = 65_536

    /// Decodes a sketch written by ``serialize(into:)`` from `bytes` starting at `offset`, and
    /// advances `offset` past it. Every count and index is checked, so hostile bytes throw.
    public init(decoding bytes: UnsafeRawBufferPointer, offset: inout Int) throws(LatencySketchDecodingError) {
        var cursor = SketchCursor(bytes: bytes, offset: offset)
        let version = try cursor.byte()
        guard version == Self.serializationVersion else {
            throw LatencySketchDecodingError(description: "unknown sketch version \(version)")
        }
        self.init()
        zeroCount = try cursor.varint()
        let binCount = try cursor.varint()
        // Each bin takes at least one byte, so a count beyond the bytes left is hostile.
        guard binCount <= UInt64(Swift.max(bytes.count - cursor.offset, 0)), binCount <= UInt64(Self.maximumDecodedBins) else {
            throw LatencySketchDecodingError(description: "bin count \(binCount) exceeds the bytes left")
        }
        var total = zeroCount
        if binCount > 0 {
            let firstIndex = try cursor.signedVarint()
            guard abs(firstIndex) < 1_000_000 else {
                throw LatencySketchDecodingError(description: "bucket index \(firstIndex) out of range")
            }
            minimumIndex = Int(firstIndex)
            bins = [UInt64](repeating: 0, count: Int(binCount))
            for position in 0..<Int(binCount) {
                let occurrences = try cursor.varint()
                let (newTotal, overflow) = total.addingReportingOverflow(occurrences)
                guard !overflow else { throw LatencySketchDecodingError(description: "bucket counts overflow") }
                total = newTotal
                bins[position] = occurrences
            }
        }
        count = total
        if total > 0 {
            min = Double(bitPattern: try cursor.uint64())
            max = Double(bitPattern: try cursor.uint64())
            sum = Double(bitPattern: try cursor.uint64())
        }
        offset = cursor.offset
    }
}

/// LEB128 varints for the sketch encoding (the store has its own, faster codecs for columns).
enum SketchVarint {
    static func write(_ value: UInt64, into bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    static func writeSigned(_ value: Int64, into bytes: inout [UInt8]) {
        write(UInt64(bitPattern: (value << 1) ^ (value >> 63)), into: &bytes)
    }
}

/// A bounds-checked read position in a sketch's bytes.
struct SketchCursor {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    mutating func byte() throws(LatencySketchDecodingError) -> UInt8 {
        guard offset >= 0, offset < bytes.count else {
            throw LatencySketchDecodingError(description: "sketch truncated at byte \(offset)")
        }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws(LatencySketchDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw LatencySketchDecodingError(description: "varint too long") }
            result |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func signedVarint() throws(LatencySketchDecodingError) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func uint64() throws(LatencySketchDecodingError) -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 8) {
            value |= UInt64(try byte()) << UInt64(shift)
        }
        return value
    }
}
