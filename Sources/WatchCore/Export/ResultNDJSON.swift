/// The newline-delimited JSON form of ``ResultRow`` written by `ispwatch export --format ndjson`:
/// one object per line with the keys of ``ResultCSV/columns`` in the same order, `null` where the
/// CSV has an empty field, `success` a boolean and numbers as numbers.
public enum ResultNDJSON {
    /// The JSON object of `row` on one line, without a line break.
    public static func line(_ row: ResultRow) -> String {
        var bytes: [UInt8] = []
        append(row, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the JSON object of `row`, without a line break, to `bytes` (the fast path of export).
    public static func append(_ row: ResultRow, to bytes: inout [UInt8]) {
        func raw(_ text: StaticString) {
            text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }
        raw("{\"time\":\"")
        ASCIIBytes.appendRFC3339(Timestamp(millisecondsSinceEpoch: row.startMillis), to: &bytes)
        raw("\",\"scheduled\":")
        if let scheduled = row.scheduledMillis {
            bytes.append(UInt8(ascii: "\""))
            ASCIIBytes.appendRFC3339(Timestamp(millisecondsSinceEpoch: scheduled), to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        } else {
            raw("null")
        }
        raw(",\"target\":")
        appendString(row.target.rawValue, to: &bytes)
        raw(",\"provider\":")
        appendString(row.provider, to: &bytes)
        raw(",\"vantage\":")
        appendString(row.vantage, to: &bytes)
        raw(",\"ip_family\":")
        appendString(row.family.rawValue, to: &bytes)
        raw(",\"kind\":")
        if let kind = row.kind { appendString(kind.rawValue, to: &bytes) } else { raw("null") }
        raw(row.success ? ",\"success\":true,\"reason\":" : ",\"success\":false,\"reason\":")
        if let failure = row.failure { appendString(failure.rawValue, to: &bytes) } else { raw("null") }
        raw(",\"code\":")
        if let code = row.code { ASCIIBytes.append(Int64(code), to: &bytes) } else { raw("null") }
        raw(",\"latency_us\":")
        ASCIIBytes.append(magnitude: UInt64(row.latencyMicros), to: &bytes)
        for (key, value) in zip(phaseKeys, row.phaseMicros) {
            bytes.append(contentsOf: key)
            if let value { ASCIIBytes.append(magnitude: UInt64(value), to: &bytes) } else { raw("null") }
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// `,"<phase>_us":` for each phase, in `Phase.allCases` order.
    private static let phaseKeys: [[UInt8]] = Phase.allCases.map { Array(",\"\($0.rawValue)_us\":".utf8) }

    /// Appends `text` as a JSON string literal.
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [byte, byte])
            case 10: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 13: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 9: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
