/// The escaping rules of the Prometheus text format 0.0.4.
enum ExpositionText {
    /// `name="value"` with the value escaped: backslash, double quote and line feed are the three
    /// characters the format requires to be escaped inside a label value.
    static func label(_ name: String, _ value: String) -> [UInt8] {
        var bytes = Array(name.utf8)
        bytes.append(UInt8(ascii: "="))
        bytes.append(UInt8(ascii: "\""))
        appendEscapedLabelValue(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        return bytes
    }

    /// Labels joined by commas, without the braces, ready to be written inside `{…}`.
    static func labels(_ pairs: [(name: String, value: String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, pair) in pairs.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: label(pair.name, pair.value))
        }
        return bytes
    }

    static func appendEscapedLabelValue(_ value: String, to bytes: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            default: bytes.append(byte)
            }
        }
    }

    /// HELP text escapes only backslash and line feed (a double quote is literal there).
    static func escapedHelp(_ help: String) -> String {
        var escaped = ""
        for character in help {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
