/// A strict RFC 4180 reader, written apart from the renderer so that a quoting mistake in one is not
/// mirrored in the other: records end in CRLF, a quoted field may hold commas, CRLF and doubled
/// quotes, and a quote inside an unquoted field is an error.
enum RFC4180Parser {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var fieldWasQuoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let scalar = characters.popFirst() {
            if inQuotes {
                if scalar == "\"" {
                    if characters.first == "\"" {
                        characters.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty, !fieldWasQuoted else { throw Malformed(description: "a quote inside an unquoted field") }
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                record.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r":
                guard characters.popFirst() == "\n" else { throw Malformed(description: "CR without LF") }
                record.append(field)
                records.append(record)
                record = []
                field = ""
                fieldWasQuoted = false
            case "\n":
                throw Malformed(description: "a bare LF ends a record")
            default:
                guard !fieldWasQuoted else { throw Malformed(description: "text after a closing quote") }
                field.unicodeScalars.append(scalar)
            }
        }
        guard !inQuotes else { throw Malformed(description: "an unterminated quoted field") }
        guard field.isEmpty, record.isEmpty else { throw Malformed(description: "the last record does not end in CRLF") }
        return records
    }
}
