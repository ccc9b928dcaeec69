/// The integer codec of sealed-block columns. Each column is a codec byte and its data; the
/// encoder tries every codec on the values and keeps the smallest:
///
/// - `0` constant: `value zigzag-varint` — every value equal.
/// - `1` frame of reference, bit-packed: `minimum zigzag-varint · width u8 (0…64) ·
///   ⌈count·width/8⌉ bytes` holding `value − minimum` in `width` bits each, least significant bit
///   first, value `i` starting at bit `i·width`.
/// - `2` runs: `runCount varint · (value zigzag-varint · length varint)*`, lengths summing to count.
/// - `3` Rice from the minimum: `minimum zigzag-varint · Rice streams` coding `value − minimum`
///   (see `RiceCoding`).
/// - `4` Rice around a median: `median zigzag-varint · Rice streams` coding `zigzag(value − median)`.
///
/// The count of values is known from the block, never stored here.
enum IntegerColumn {
    enum Codec: UInt8 {
        case constant = 0
        case bitPacked = 1
        case runs = 2
        case riceFromMinimum = 3
        case riceAroundMedian = 4
    }

    @inline(__always) static func varintLength(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
    }

    @inline(__always) static func bitWidth(_ value: UInt64) -> Int { 64 - value.leadingZeroBitCount }

    /// Appends the smallest encoding of `values`.
    static func encode(_ values: UnsafeBufferPointer<Int64>, into writer: inout ByteWriter) {
        guard let first = values.first else {
            writer.byte(Codec.constant.rawValue)
            writer.signedVarint(0)
            return
        }
        var minimum = first, maximum = first
        var runsSize = 0, runCount = 0
        var runValue = first, runLength = 0
        for value in values {
            if value < minimum { minimum = value }
            if value > maximum { maximum = value }
            if value == runValue {
                runLength += 1
            } else {
                runsSize += varintLength(Zigzag.encode(runValue)) + varintLength(UInt64(runLength))
                runCount += 1
                runValue = value
                runLength = 1
            }
        }
        runsSize += varintLength(Zigzag.encode(runValue)) + varintLength(UInt64(runLength))
        runCount += 1
        runsSize += varintLength(UInt64(runCount))
        if minimum == maximum {
            writer.byte(Codec.constant.rawValue)
            writer.signedVarint(minimum)
            return
        }
        let width = bitWidth(UInt64(bitPattern: maximum &- minimum))
        let packedSize = varintLength(Zigzag.encode(minimum)) + 1 + (values.count * width + 7) / 8
        if values.count >= 16, runsSize > 8, encodeRiceIfSmaller(values, minimum: minimum, than: min(packedSize, runsSize), into: &writer) {
            return
        }
        if runsSize < packedSize {
            writer.byte(Codec.runs.rawValue)
            writer.varint(UInt64(runCount))
            var index = 0
            while index < values.count {
                let value = values[index]
                var end = index + 1
                while end < values.count && values[end] == value { end += 1 }
                writer.signedVarint(value)
                writer.varint(UInt64(end - index))
                index = end
            }
            return
        }
        writer.byte(Codec.bitPacked.rawValue)
        writer.signedVarint(minimum)
        writer.byte(UInt8(width))
        var accumulator: UInt64 = 0
        var filled = 0
        for value in values {
            let offset = UInt64(bitPattern: value &- minimum)
            accumulator |= offset << UInt64(filled)
            if filled + width >= 64 {
                writer.uint64(accumulator)
                let consumed = 64 - filled
                accumulator = consumed < 64 ? offset >> UInt64(consumed) : 0
                filled = filled + width - 64
            } else {
                filled += width
            }
        }
        while filled > 0 {
            writer.byte(UInt8(truncatingIfNeeded: accumulator))
            accumulator >>= 8
            filled -= 8
        }
    }

    /// Writes the better Rice coding of `values` when it is smaller than `limit` bytes.
    private static func encodeRiceIfSmaller(
        _ values: UnsafeBufferPointer<Int64>, minimum: Int64, than limit: Int, into writer: inout ByteWriter
    ) -> Bool {
        var fromMinimum = [UInt64](repeating: 0, count: values.count)
        for (index, value) in values.enumerated() { fromMinimum[index] = UInt64(bitPattern: value &- minimum) }
        let median = values.sorted()[values.count / 2]
        var aroundMedian = [UInt64](repeating: 0, count: values.count)
        for (index, value) in values.enumerated() { aroundMedian[index] = Zigzag.encode(value &- median) }
        let first = fromMinimum.withUnsafeBufferPointer { RiceCoding.bestParameter($0) }
        let second = aroundMedian.withUnsafeBufferPointer { RiceCoding.bestParameter($0) }
        let useMedian = second.bits < first.bits
        let (codec, base, offsets, parameter) = useMedian
            ? (Codec.riceAroundMedian, median, aroundMedian, second) : (Codec.riceFromMinimum, minimum, fromMinimum, first)
        let size = 1 + varintLength(Zigzag.encode(base)) + 4 + (parameter.bits + 7) / 8
        guard size < limit else { return false }
        writer.byte(codec.rawValue)
        writer.signedVarint(base)
        offsets.withUnsafeBufferPointer { RiceCoding.write($0, k: parameter.k, into: &writer) }
        return true
    }

    /// Decodes `output.count` values, checking every length and that every value fits `Value`.
    @inline(__always)
    static func decode<Value: FixedWidthInteger>(
        _ cursor: inout ByteCursor, into output: UnsafeMutableBufferPointer<Value>
    ) throws(DecodeFailure) {
        let count = output.count
        guard let codec = Codec(rawValue: try cursor.byte()) else { throw DecodeFailure("unknown integer codec") }
        switch codec {
        case .constant:
            let value = try cursor.signedVarint()
            guard let narrow = Value(exactly: value) else { throw DecodeFailure("value out of range") }
            for index in 0..<count { output[index] = narrow }
        case .runs:
            let runCount = try cursor.count(atMost: count)
            var index = 0
            for _ in 0..<runCount {
                let value = try cursor.signedVarint()
                let length = try cursor.count(atMost: count - index)
                guard let narrow = Value(exactly: value) else { throw DecodeFailure("value out of range") }
                for position in index..<(index + length) { output[position] = narrow }
                index += length
            }
            guard index == count else { throw DecodeFailure("runs do not add up to the block count") }
        case .bitPacked:
            let minimum = try cursor.signedVarint()
            let width = Int(try cursor.byte())
            guard width <= 64 else { throw DecodeFailure("bit width above 64") }
            let packed = try cursor.slice((count * width + 7) / 8)
            try unpack(packed, width: width, minimum: minimum, into: output)
        case .riceFromMinimum, .riceAroundMedian:
            let base = try cursor.signedVarint()
            try RiceCoding.read(&cursor, base: base, zigzag: codec == .riceAroundMedian, into: output)
        }
    }

    @inline(__always)
    static func unpack<Value: FixedWidthInteger>(
        _ packed: UnsafeRawBufferPointer, width: Int, minimum: Int64, into output: UnsafeMutableBufferPointer<Value>
    ) throws(DecodeFailure) {
        let count = output.count
        let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
        // When minimum + mask fits Value, no value can be out of range: skip per-value checks.
        let (top, overflow) = minimum.addingReportingOverflow(Int64(bitPattern: mask))
        let fits = width < 63 && !overflow && Value(exactly: minimum) != nil && Value(exactly: top) != nil
        guard width > 0 else {
            guard let narrow = Value(exactly: minimum) else { throw DecodeFailure("value out of range") }
            for index in 0..<count { output[index] = narrow }
            return
        }
        let base = packed.baseAddress!
        let byteCount = packed.count
        var index = 0
        if fits && width <= 56 {
            // Fast path: one unaligned 8-byte load per value while 8 bytes remain.
            let base64 = Int64(minimum)
            var bit = 0
            while index < count {
                let byte = bit >> 3
                if byte + 8 > byteCount { break }
                let word = UInt64(littleEndian: (base + byte).loadUnaligned(as: UInt64.self))
                output[index] = Value(truncatingIfNeeded: base64 &+ Int64(bitPattern: (word >> UInt64(bit & 7)) & mask))
                index += 1
                bit += width
            }
        }
        while index < count {
            let raw = extract(base, byteCount: byteCount, bit: index * width, width: width) & mask
            let value = minimum &+ Int64(bitPattern: raw)
            if fits {
                output[index] = Value(truncatingIfNeeded: value)
            } else {
                guard let narrow = Value(exactly: value) else { throw DecodeFailure("value out of range") }
                output[index] = narrow
            }
            index += 1
        }
    }

    /// Up to 64 bits starting at `bit`, reading byte by byte within bounds.
    @inline(__always)
    static func extract(_ base: UnsafeRawPointer, byteCount: Int, bit: Int, width: Int) -> UInt64 {
        let byte = bit >> 3
        let shift = bit & 7
        let needed = (shift + width + 7) >> 3
        var low: UInt64 = 0
        for k in 0..<min(needed, 8) where byte + k < byteCount {
            low |= UInt64(base.load(fromByteOffset: byte + k, as: UInt8.self)) << UInt64(8 * k)
        }
        var out = low >> UInt64(shift)
        if needed == 9, shift > 0, byte + 8 < byteCount {
            out |= UInt64(base.load(fromByteOffset: byte + 8, as: UInt8.self)) << UInt64(64 - shift)
        }
        return out
    }
}
