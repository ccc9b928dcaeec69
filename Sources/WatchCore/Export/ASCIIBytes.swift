/// Appends text forms to a byte buffer without building intermediate strings: export writes
/// millions of rows, and `String` appends dominated its profile.
enum ASCIIBytes {
    /// Appends the decimal digits of `value`.
    @inline(__always)
    static func append(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            append(magnitude: value.magnitude, to: &bytes)
        } else {
            append(magnitude: UInt64(value), to: &bytes)
        }
    }

    /// Appends the decimal digits of `value`.
    static func append(magnitude value: UInt64, to bytes: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: enough for 20 digits
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            bytes.append(contentsOf: buffer[(24 - count)...])
        }
    }

    /// Appends `value` zero-padded to `width` digits (for non-negative values of at most `width` digits).
    @inline(__always)
    static func appendPadded(_ value: Int64, width: Int, to bytes: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Appends `timestamp` as RFC 3339 UTC with milliseconds, as ``Timestamp/description`` does.
    static func appendRFC3339(_ timestamp: Timestamp, to bytes: inout [UInt8]) {
        let (year, month, day, hour, minute, second, millisecond) = RFC3339.fields(timestamp)
        guard (0...9_999).contains(year) else {
            // Outside four digits the string form (with its own padding rules) is the reference.
            bytes.append(contentsOf: timestamp.description.utf8)
            return
        }
        appendPadded(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(day, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendPadded(hour, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(minute, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(second, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        appendPadded(millisecond, width: 3, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }
}
