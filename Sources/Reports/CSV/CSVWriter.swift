/// Rows as RFC 4180 text: fields separated by commas, records by CRLF, a field quoted (its quotes
/// doubled) when it holds a comma, a quote, CR or LF.
struct CSVWriter {
    private(set) var text = ""

    /// Appends one record.
    mutating func append(_ fields: [String]) {
        text += fields.map(Self.field).joined(separator: ",") + "\r\n"
    }

    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
