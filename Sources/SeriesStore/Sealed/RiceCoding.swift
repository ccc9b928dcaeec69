/// Golomb–Rice coding of integer columns whose values cluster near a base, with quotients and
/// remainders in separate streams so that decoding has no long dependency chain.
///
/// Each value's offset `u` (`v − base`, or `zigzag(v − base)` around a median) splits into the
/// quotient `q = u >> k` and the `k` low bits. Quotients go to a unary stream (`q` one-bits then a
/// zero-bit); the low bits are bit-packed at width `k`. A quotient of 32 or more is an exception:
/// 32 one-bits and a zero-bit in the unary stream, a zero remainder, and `u` itself as a varint in
/// the exception list. Probe latencies and lateness are peaked distributions whose Rice code is
/// close to their entropy: one to two bits per value shorter than bit-packing the full range.
///
/// Layout after the base: `k u8 · unaryLength varint · unary bytes · ⌈n·k/8⌉ remainder bytes ·
/// exceptionCount varint · exception varint*`.
enum RiceCoding {
    static let exceptionQuotient = 32

    /// The cost in bits of coding `offsets` with parameter `k`.
    static func cost(_ offsets: UnsafeBufferPointer<UInt64>, k: Int) -> Int {
        var bits = offsets.count * k
        for u in offsets {
            let q = u >> UInt64(k)
            bits += q < UInt64(exceptionQuotient) ? Int(q) + 1 : exceptionQuotient + 1 + 8 * IntegerColumn.varintLength(u)
        }
        return bits
    }

    /// The best parameter for `offsets` and its cost in bits, searched around log2 of the mean.
    static func bestParameter(_ offsets: UnsafeBufferPointer<UInt64>) -> (k: Int, bits: Int) {
        var sum = 0.0
        for u in offsets { sum += Double(u) }
        let mean = sum / Double(max(offsets.count, 1))
        var center = 0
        var scaled = mean * 0.69
        while scaled >= 2 { scaled /= 2; center += 1 }
        var best = (k: 0, bits: Int.max)
        for k in max(0, center - 1)...min(62, center + 2) {
            let bits = cost(offsets, k: k)
            if bits < best.bits { best = (k, bits) }
        }
        return best
    }

    /// Appends `k`, the streams and the exceptions for `offsets`.
    static func write(_ offsets: UnsafeBufferPointer<UInt64>, k: Int, into writer: inout ByteWriter) {
        var unary = BitWriter()
        var remainders = BitWriter()
        var exceptions: [UInt64] = []
        let mask: UInt64 = k == 0 ? 0 : (1 << UInt64(k)) - 1
        for u in offsets {
            let q = u >> UInt64(k)
            if q < UInt64(exceptionQuotient) {
                unary.write((1 << q) - 1, bits: Int(q) + 1)
                remainders.write(u & mask, bits: k)
            } else {
                unary.write(0xFFFF_FFFF, bits: exceptionQuotient + 1)
                remainders.write(0, bits: k)
                exceptions.append(u)
            }
        }
        let unaryBytes = unary.finish()
        writer.byte(UInt8(k))
        writer.varint(UInt64(unaryBytes.count))
        writer.append(unaryBytes)
        writer.append(remainders.finish())
        writer.varint(UInt64(exceptions.count))
        for u in exceptions { writer.varint(u) }
    }

    /// Decodes `output.count` values coded after `base` (zigzag offsets when `zigzag`), checking
    /// every length, that the unary stream holds a terminator per value, and that values fit `Value`.
    @inline(__always)
    static func read<Value: FixedWidthInteger>(
        _ cursor: inout ByteCursor, base: Int64, zigzag: Bool, into output: UnsafeMutableBufferPointer<Value>
    ) throws(DecodeFailure) {
        let count = output.count
        let k = Int(try cursor.byte())
        guard k <= 62 else { throw DecodeFailure("Rice parameter above 62") }
        let unary = try cursor.slice(try cursor.count(atMost: cursor.remaining))
        let remainderBytes = try cursor.slice((count * k + 7) / 8)
        let exceptionCount = try cursor.count(atMost: count)
        var exceptionsLeft = exceptionCount
        guard count > 0 else { return }
        guard let unaryBase = unary.baseAddress else { throw DecodeFailure("empty unary stream") }
        let unaryCount = unary.count
        let unaryBits = unaryCount * 8

        @inline(__always) func terminators(at bit: Int) -> UInt64 {
            let byte = bit >> 3
            if byte + 8 <= unaryCount {
                return ~UInt64(littleEndian: (unaryBase + byte).loadUnaligned(as: UInt64.self))
            }
            var raw: UInt64 = 0
            for offset in 0..<(unaryCount - byte) {
                raw |= UInt64(unaryBase.load(fromByteOffset: byte + offset, as: UInt8.self)) << UInt64(8 * offset)
            }
            let valid = (unaryCount - byte) * 8
            return ~raw & ((1 << UInt64(valid)) - 1)
        }

        // Every non-exception value lies within base ± 32·2^k; when that range fits `Value`, the
        // loop needs no per-value range check.
        let span = Int64(32) << Int64(k)
        let (low, lowOverflow) = base.subtractingReportingOverflow(zigzag ? span / 2 : 0)
        let (high, highOverflow) = base.addingReportingOverflow(zigzag ? span / 2 : span)
        let fits = !lowOverflow && !highOverflow && Value(exactly: low) != nil && Value(exactly: high) != nil
        // Narrow values (a median-based latency column, say) whose range does not provably fit are
        // checked inside the loop without a branch: out-of-range flags accumulate, thrown at the end.
        if k <= 56 && (fits || Value.bitWidth <= 32) {
            // The common case gets a loop with the codec variant as a constant, remainders read in
            // place rather than unpacked to a temporary first.
            // The remainder bytes are copied with 8 zero bytes after them, so that every remainder is
            // one unaligned load with no bounds check. The four loop variants are separate calls
            // with constant flags so that each is compiled without the others' branches.
            try withUnsafeTemporaryAllocation(byteCount: remainderBytes.count + 8, alignment: 8) { (padded) throws(DecodeFailure) in
                let remainders = UnsafeRawPointer(padded.baseAddress!)
                if remainderBytes.count > 0, let source = remainderBytes.baseAddress {
                    padded.baseAddress!.copyMemory(from: source, byteCount: remainderBytes.count)
                }
                padded.baseAddress!.storeBytes(of: 0, toByteOffset: remainderBytes.count, as: UInt64.self)
                let context = FastContext(unary: unaryBase, unaryCount: unaryCount, remainders: remainders, k: k, base: base)
                switch (zigzag, fits) {
                case (true, true):
                    try readInRange(context, zigzag: true, checked: false, cursor: &cursor, exceptionsLeft: &exceptionsLeft, into: output)
                case (false, true):
                    try readInRange(context, zigzag: false, checked: false, cursor: &cursor, exceptionsLeft: &exceptionsLeft, into: output)
                case (true, false):
                    try readInRange(context, zigzag: true, checked: true, cursor: &cursor, exceptionsLeft: &exceptionsLeft, into: output)
                case (false, false):
                    try readInRange(context, zigzag: false, checked: true, cursor: &cursor, exceptionsLeft: &exceptionsLeft, into: output)
                }
            }
            guard exceptionsLeft == 0 else { throw DecodeFailure("unused Rice exceptions") }
            return
        }

        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: count) { (remainders) throws(DecodeFailure) in
            if k > 0 {
                try IntegerColumn.unpack(remainderBytes, width: k, minimum: 0, into: remainders)
            } else {
                remainders.initialize(repeating: 0)
            }
            var wordStart = 0
            var word = terminators(at: 0)
            var previous = -1
            let shift = UInt64(k)
            for index in 0..<count {
                while word == 0 {
                    wordStart += 64
                    guard wordStart < unaryBits else { throw DecodeFailure("unary stream shorter than its values") }
                    word = terminators(at: wordStart)
                }
                let position = wordStart + word.trailingZeroBitCount
                word &= word &- 1
                let quotient = position - previous - 1
                previous = position
                let u: UInt64
                if quotient < exceptionQuotient {
                    u = (UInt64(quotient) << shift) | remainders[index]
                } else if quotient == exceptionQuotient, exceptionsLeft > 0 {
                    u = try cursor.varint()
                    exceptionsLeft -= 1
                } else {
                    throw DecodeFailure("bad Rice quotient")
                }
                let value = zigzag ? base &+ Zigzag.decode(u) : base &+ Int64(bitPattern: u)
                guard let narrow = Value(exactly: value) else { throw DecodeFailure("value out of range") }
                output[index] = narrow
            }
        }
        guard exceptionsLeft == 0 else { throw DecodeFailure("unused Rice exceptions") }
    }

    /// What the in-range loop reads: the unary stream and the remainder bytes, both already bounded.
    struct FastContext {
        let unary: UnsafeRawPointer
        let unaryCount: Int
        /// The remainder bytes followed by at least 8 readable bytes.
        let remainders: UnsafeRawPointer
        let k: Int
        let base: Int64
    }

    /// The loop for `k ≤ 56` when every non-exception value fits `Value`, or (`checked`) when
    /// `Value` has at most 32 bits, so that its bounds are Int64s to compare against. Quotients come from the
    /// unary stream 64 bits at a time (one trailing-zero count per value); each remainder is one
    /// unaligned 8-byte load from a copy of the remainder bytes padded by 8 zero bytes, so no load
    /// needs a bounds check. The unary stream is still checked once per 64-bit word.
    @inline(__always)
    private static func readInRange<Value: FixedWidthInteger>(
        _ context: FastContext, zigzag: Bool, checked: Bool, cursor: inout ByteCursor, exceptionsLeft: inout Int,
        into output: UnsafeMutableBufferPointer<Value>
    ) throws(DecodeFailure) {
        let count = output.count
        let unary = context.unary
        let unaryCount = context.unaryCount
        let unaryBits = unaryCount &* 8
        let k = context.k
        let base = context.base
        let shift = UInt64(k)
        let mask: UInt64 = (1 &<< shift) &- 1
        // Only read when `checked`, where `Value` has at most 32 bits.
        let lowest = checked ? Int64(Value.min) : 0
        let valueRange = checked ? UInt64(bitPattern: Int64(Value.max) &- lowest) : 0
        var outOfRange: UInt64 = 0

        @inline(__always) func terminators(at bit: Int) -> UInt64 {
            let byte = bit >> 3
            if byte + 8 <= unaryCount {
                return ~UInt64(littleEndian: (unary + byte).loadUnaligned(as: UInt64.self))
            }
            var raw: UInt64 = 0
            for offset in 0..<(unaryCount - byte) {
                raw |= UInt64(unary.load(fromByteOffset: byte + offset, as: UInt8.self)) << UInt64(8 * offset)
            }
            let valid = (unaryCount - byte) * 8
            return ~raw & ((1 << UInt64(valid)) - 1)
        }

        let remainders = context.remainders
        let out = output.baseAddress!
        var wordStart = 0
        var word = terminators(at: 0)
        var previous = -1
        var bit = 0
        var index = 0
        while index < count {
            while word == 0 {
                wordStart &+= 64
                guard wordStart < unaryBits else { throw DecodeFailure("unary stream shorter than its values") }
                word = terminators(at: wordStart)
            }
            let position = wordStart &+ word.trailingZeroBitCount
            word &= word &- 1
            let quotient = position &- previous &- 1
            previous = position
            let packed = UInt64(littleEndian: (remainders + (bit >> 3)).loadUnaligned(as: UInt64.self))
            let remainder = (packed &>> UInt64(bit & 7)) & mask
            bit &+= k
            if _fastPath(quotient < exceptionQuotient) {
                let u = (UInt64(truncatingIfNeeded: quotient) &<< shift) | remainder
                let value = zigzag ? base &+ Zigzag.decode(u) : base &+ Int64(bitPattern: u)
                if checked { outOfRange |= UInt64(bitPattern: value &- lowest) > valueRange ? 1 : 0 }
                out[index] = Value(truncatingIfNeeded: value)
            } else {
                guard quotient == exceptionQuotient, exceptionsLeft > 0 else { throw DecodeFailure("bad Rice quotient") }
                let u = try cursor.varint()
                exceptionsLeft -= 1
                let value = zigzag ? base &+ Zigzag.decode(u) : base &+ Int64(bitPattern: u)
                guard let narrow = Value(exactly: value) else { throw DecodeFailure("value out of range") }
                out[index] = narrow
            }
            index &+= 1
        }
        guard outOfRange == 0 else { throw DecodeFailure("value out of range") }
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
