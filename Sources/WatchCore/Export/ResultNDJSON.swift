/// The newline-delimited JSON form of ``ResultRow`` written by `ispwatch export --format ndjson`:
/// one object per line with the keys of ``ResultCSV/columns`` in the same order, `null` where the
/// CSV has an empty field, `success` a boolean and numbers as numbers.
public enum ResultNDJSON {
    /// The JSON object of `row` on one line, without a line break.
    public static func line(_ row: ResultRow) -> String {
        var line = "{\"time\":\""
        line.reserveCapacity(320)
        line += Timestamp(millisecondsSinceEpoch: row.startMillis).description
        line += "\",\"scheduled\":"
        if let scheduled = row.scheduledMillis {
            line += "\"" + Timestamp(millisecondsSinceEpoch: scheduled).description + "\""
        } else {
            line += "null"
        }
        line += ",\"target\":"
        appendString(row.target.rawValue, to: &line)
        line += ",\"provider\":"
        appendString(row.provider, to: &line)
        line += ",\"vantage\":"
        appendString(row.vantage, to: &line)
        line += ",\"ip_family\":\"" + row.family.rawValue + "\",\"kind\":"
        line += row.kind.map { "\"\($0.rawValue)\"" } ?? "null"
        line += row.success ? ",\"success\":true,\"reason\":" : ",\"success\":false,\"reason\":"
        line += row.failure.map { "\"\($0.rawValue)\"" } ?? "null"
        line += ",\"code\":"
        line += row.code.map { String($0) } ?? "null"
        line += ",\"latency_us\":" + String(row.latencyMicros)
        for (phase, value) in zip(Phase.allCases, row.phaseMicros) {
            line += ",\"\(phase.rawValue)_us\":"
            line += value.map { String($0) } ?? "null"
        }
        line += "}"
        return line
    }

    /// Appends `text` as a JSON string literal.
    static func appendString(_ text: String, to line: inout String) {
        line += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                line += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }
}
