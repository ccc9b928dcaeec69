/// Golomb–Rice coding of integer columns whose values cluster near a base: each value's offset
/// `u` (`v − base`, or `zigzag(v − base)` around a median) is written as `q = u >> k` in unary
/// (`q` one-bits then a zero-bit) followed by the `k` low bits of `u`. A quotient of 32 or more is
/// escaped: 32 one-bits, then `u` in 64 bits. Bits are packed least significant first.
///
/// Probe latencies and lateness are peaked distributions; their Rice code is close to their
/// entropy, one to two bits per value shorter than bit-packing over the block's full range.
enum RiceCoding {
    static let escapeQuotient = 32

    /// The cost in bits of coding `offsets` with parameter `k`.
    static func cost(_ offsets: UnsafeBufferPointer<UInt64>, k: Int) -> Int {
        var bits = 0
        for u in offsets {
            let q = u >> UInt64(k)
            bits += q < UInt64(escapeQuotient) ? Int(q) + 1 + k : escapeQuotient + 64
        }
        return bits
    }

    /// The best parameter for `offsets` and its cost in bits, searched around log2 of the mean.
    static func bestParameter(_ offsets: UnsafeBufferPointer<UInt64>) -> (k: Int, bits: Int) {
        var sum = 0.0
        for u in offsets { sum += Double(u) }
        let mean = sum / Double(max(offsets.count, 1))
        let center = mean < 2 ? 0 : Int(log2(mean * 0.69))
        var best = (k: 0, bits: Int.max)
        for k in max(0, center - 1)...min(63, center + 2) {
            let bits = cost(offsets, k: k)
            if bits < best.bits { best = (k, bits) }
        }
        return best
    }

    static func log2(_ value: Double) -> Double {
        var exponent = 0.0
        var value = value
        while value >= 2 { value /= 2; exponent += 1 }
        return exponent
    }

    /// Appends the bits of `offsets` coded with `k`.
    static func write(_ offsets: UnsafeBufferPointer<UInt64>, k: Int, into writer: inout BitWriter) {
        for u in offsets {
            let q = u >> UInt64(k)
            if q < UInt64(escapeQuotient) {
                writer.write((1 << q) - 1, bits: Int(q) + 1)
                writer.write(u, bits: k)
            } else {
                writer.write(0xFFFF_FFFF, bits: escapeQuotient)
                writer.write(u, bits: 64)
            }
        }
    }

    /// Decodes `output.count` offsets, adds `base` (after zigzag decoding when `zigzag`), and checks
    /// that the stream holds every bit it claims and that every value fits `Value`.
    @inline(__always)
    static func read<Value: FixedWidthInteger>(
        _ stream: UnsafeRawBufferPointer, k: Int, base: Int64, zigzag: Bool,
        into output: UnsafeMutableBufferPointer<Value>
    ) throws(DecodeFailure) {
        guard k <= 63 else { throw DecodeFailure("Rice parameter above 63") }
        let count = output.count
        guard count > 0 else { return }
        guard let start = stream.baseAddress else { throw DecodeFailure("empty Rice stream") }
        let byteCount = stream.count
        let totalBits = byteCount * 8
        let mask: UInt64 = k == 0 ? 0 : (1 << UInt64(k)) - 1
        let shiftK = UInt64(k)
        var bit = 0
        var index = 0
        @inline(__always) func finish(_ u: UInt64) throws(DecodeFailure) {
            let value = zigzag ? base &+ Zigzag.decode(u) : base &+ Int64(bitPattern: u)
            guard let narrow = Value(exactly: value) else { throw DecodeFailure("value out of range") }
            output[index] = narrow
            index += 1
        }
        // Fast path: while 16 bytes remain, one 8-byte load usually serves quotient and remainder.
        if k <= 24 {
            while index < count && (bit >> 3) + 16 <= byteCount {
                let word = UInt64(littleEndian: (start + (bit >> 3)).loadUnaligned(as: UInt64.self)) >> UInt64(bit & 7)
                let ones = (~word).trailingZeroBitCount
                guard ones < escapeQuotient else { break }
                let low = (word >> UInt64(ones + 1)) & mask
                bit += ones + 1 + k
                try finish((UInt64(ones) << shiftK) | low)
            }
        }
        // General path, bounds-checked byte by byte near the end and for escapes.
        while index < count {
            let ones = (~IntegerColumn.extract(start, byteCount: byteCount, bit: bit, width: escapeQuotient)).trailingZeroBitCount
            var u: UInt64
            if ones < escapeQuotient {
                bit += ones + 1
                u = (UInt64(ones) << shiftK) | (k == 0 ? 0 : IntegerColumn.extract(start, byteCount: byteCount, bit: bit, width: k) & mask)
                bit += k
            } else {
                bit += escapeQuotient
                u = IntegerColumn.extract(start, byteCount: byteCount, bit: bit, width: 64)
                bit += 64
            }
            guard bit <= totalBits else { throw DecodeFailure("Rice stream shorter than its values") }
            try finish(u)
        }
        guard bit <= totalBits else { throw DecodeFailure("Rice stream shorter than its values") }
    }
}

/// Packs bit fields least significant bit first into bytes.
struct BitWriter {
    var bytes: [UInt8] = []
    private var accumulator: UInt64 = 0
    private var filled = 0

    var bitCount: Int { bytes.count * 8 + filled }

    @inline(__always)
    mutating func write(_ value: UInt64, bits: Int) {
        guard bits > 0 else { return }
        let field = bits == 64 ? value : value & ((1 << UInt64(bits)) - 1)
        accumulator |= field << UInt64(filled)
        if filled + bits >= 64 {
            withUnsafeBytes(of: accumulator.littleEndian) { bytes.append(contentsOf: $0) }
            let consumed = 64 - filled
            accumulator = consumed < 64 ? field >> UInt64(consumed) : 0
            filled = filled + bits - 64
        } else {
            filled += bits
        }
    }

    /// Flushes the last partial byte(s); the writer must not be used afterwards.
    mutating func finish() -> [UInt8] {
        while filled > 0 {
            bytes.append(UInt8(truncatingIfNeeded: accumulator))
            accumulator >>= 8
            filled -= 8
        }
        filled = 0
        return bytes
    }
}
