/// The CSV form of ``ResultRow`` shared by `ispwatch export` and `ispwatch import`.
///
/// Header `time,scheduled,target,provider,vantage,ip_family,kind,success,reason,code,latency_us`
/// then `<phase>_us` for every `Phase.allCases`, in that order. Times are RFC 3339 UTC with
/// milliseconds; an empty field means "none" (unscheduled, no code, phase not measured). Fields are
/// quoted as RFC 4180 says when they hold a comma or a quote; a quoted field cannot span lines.
public enum ResultCSV {
    /// The column names, in order.
    public static let columns: [String] =
        ["time", "scheduled", "target", "provider", "vantage", "ip_family", "kind", "success", "reason", "code",
         "latency_us"] + Phase.allCases.map { "\($0.rawValue)_us" }

    /// The header line (without a line break).
    public static let header: String = columns.joined(separator: ",")

    /// What is wrong with one line: the column (when one is to blame) and a message for humans.
    public struct RowError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The column at fault, or `nil` for a problem with the whole line.
        public var column: String?
        /// What is wrong.
        public var message: String

        /// Creates an error.
        public init(column: String?, message: String) {
            self.column = column
            self.message = message
        }

        /// `column: message`, or the message alone.
        public var description: String { column.map { "\($0): \(message)" } ?? message }
    }

    // MARK: - Writing

    /// The CSV line of `row`, without a line break.
    public static func line(_ row: ResultRow) -> String {
        var bytes: [UInt8] = []
        append(row, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the CSV line of `row`, without a line break, to `bytes` (the fast path of export).
    public static func append(_ row: ResultRow, to bytes: inout [UInt8]) {
        let comma = UInt8(ascii: ",")
        ASCIIBytes.appendRFC3339(Timestamp(millisecondsSinceEpoch: row.startMillis), to: &bytes)
        bytes.append(comma)
        if let scheduled = row.scheduledMillis {
            ASCIIBytes.appendRFC3339(Timestamp(millisecondsSinceEpoch: scheduled), to: &bytes)
        }
        bytes.append(comma)
        appendField(row.target.rawValue, to: &bytes)
        bytes.append(comma)
        appendField(row.provider, to: &bytes)
        bytes.append(comma)
        appendField(row.vantage, to: &bytes)
        bytes.append(comma)
        bytes.append(contentsOf: row.family.rawValue.utf8)
        bytes.append(comma)
        if let kind = row.kind { bytes.append(contentsOf: kind.rawValue.utf8) }
        bytes.append(contentsOf: (row.success ? ",true," : ",false,").utf8)
        if let failure = row.failure { bytes.append(contentsOf: failure.rawValue.utf8) }
        bytes.append(comma)
        if let code = row.code { ASCIIBytes.append(Int64(code), to: &bytes) }
        bytes.append(comma)
        ASCIIBytes.append(magnitude: UInt64(row.latencyMicros), to: &bytes)
        for value in row.phaseMicros {
            bytes.append(comma)
            if let value { ASCIIBytes.append(magnitude: UInt64(value), to: &bytes) }
        }
    }

    /// Appends `field`, quoted when it holds a separator, a quote or a line break.
    static func appendField(_ field: String, to bytes: inout [UInt8]) {
        let needsQuotes = field.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13
        }
        guard needsQuotes else {
            bytes.append(contentsOf: field.utf8)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for byte in field.utf8 {
            bytes.append(byte)
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    // MARK: - Reading

    /// Checks that `line` is exactly ``header`` (a trailing carriage return is ignored).
    ///
    /// - Throws: `RowError` naming the first column that differs.
    public static func checkHeader(_ line: Substring) throws(RowError) {
        let fields = try split(line)
        for (index, expected) in columns.enumerated() {
            guard index < fields.count else {
                throw RowError(column: nil, message: "header ends after \(fields.count) columns; column \(index + 1) must be \"\(expected)\" (expected header: \(header))")
            }
            guard fields[index] == expected else {
                throw RowError(column: nil, message: "header column \(index + 1) is \"\(fields[index])\", expected \"\(expected)\" (expected header: \(header))")
            }
        }
        guard fields.count == columns.count else {
            throw RowError(column: nil, message: "header has \(fields.count) columns, expected \(columns.count): extra column \"\(fields[columns.count])\"")
        }
    }

    /// Parses one data line (a trailing carriage return is ignored).
    ///
    /// Times finer than a millisecond are truncated to the millisecond, the store's resolution.
    ///
    /// - Throws: `RowError` naming the first bad column and what is wrong with it.
    public static func parse(_ line: Substring) throws(RowError) -> ResultRow {
        let fields = try split(line)
        guard fields.count == columns.count else {
            throw RowError(column: nil, message: "\(fields.count) fields, expected \(columns.count)")
        }
        let startMillis = try time(fields[0], column: "time")
        let scheduledMillis = fields[1].isEmpty ? nil : try time(fields[1], column: "scheduled")
        guard !fields[2].isEmpty else { throw RowError(column: "target", message: "empty; every row needs a target") }
        guard !fields[4].isEmpty else { throw RowError(column: "vantage", message: "empty; every row needs a vantage") }
        guard let family = IPFamily(rawValue: fields[5]) else {
            throw RowError(column: "ip_family", message: "\"\(fields[5])\" is not v4 or v6")
        }
        var kind: ProbeKind?
        if !fields[6].isEmpty {
            guard let known = ProbeKind(rawValue: fields[6]) else {
                throw RowError(column: "kind", message: "\"\(fields[6])\" is not one of \(ProbeKind.allCases.map(\.rawValue).joined(separator: ", ")) or empty")
            }
            kind = known
        }
        let success: Bool
        switch fields[7] {
        case "true": success = true
        case "false": success = false
        default: throw RowError(column: "success", message: "\"\(fields[7])\" is not true or false")
        }
        var failure: FailureReason?
        if !fields[8].isEmpty {
            guard let reason = FailureReason(rawValue: fields[8]) else {
                throw RowError(column: "reason", message: "\"\(fields[8])\" is not a known failure reason")
            }
            guard !success else {
                throw RowError(column: "reason", message: "\"\(fields[8])\" given for a successful probe; leave it empty or set success to false")
            }
            failure = reason
        }
        var code: Int32?
        if !fields[9].isEmpty {
            guard let value = Int32(fields[9]) else {
                throw RowError(column: "code", message: "\"\(fields[9])\" is not an integer rcode or HTTP status")
            }
            code = value
        }
        let latency = try micros(fields[10], column: "latency_us")
        var phases: [UInt32?] = []
        phases.reserveCapacity(Phase.allCases.count)
        for index in 11..<columns.count {
            phases.append(fields[index].isEmpty ? nil : try micros(fields[index], column: columns[index]))
        }
        return ResultRow(
            startMillis: startMillis, scheduledMillis: scheduledMillis, target: TargetID(fields[2]),
            provider: fields[3], vantage: fields[4], family: family, kind: kind, success: success,
            failure: failure, code: code, latencyMicros: latency, phaseMicros: phases
        )
    }

    private static func time(_ field: String, column: String) throws(RowError) -> Int64 {
        guard !field.isEmpty else { throw RowError(column: column, message: "empty; an RFC 3339 time is required") }
        guard let timestamp = Timestamp(rfc3339: field) else {
            throw RowError(column: column, message: "\"\(field)\" is not an RFC 3339 time like 2027-02-03T00:00:00.000Z")
        }
        return timestamp.millisecondsSinceEpoch
    }

    private static func micros(_ field: String, column: String) throws(RowError) -> UInt32 {
        guard let value = UInt32(field) else {
            throw RowError(column: column, message: field.isEmpty
                ? "empty; a duration in whole microseconds is required"
                : "\"\(field)\" is not a whole number of microseconds between 0 and \(UInt32.max)")
        }
        return value
    }

    /// Splits a line into fields, undoing RFC 4180 quoting.
    static func split(_ line: Substring) throws(RowError) -> [String] {
        var line = line
        // Walks the line's own UTF-8 storage: no copy of the line, one string per field.
        let result = line.withUTF8 { buffer in Result { () throws(RowError) in try split(buffer) } }
        return try result.get()
    }

    private static func split(_ buffer: UnsafeBufferPointer<UInt8>) throws(RowError) -> [String] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        var end = buffer.count
        if end > 0, buffer[end - 1] == 13 { end -= 1 }
        var fields: [String] = []
        fields.reserveCapacity(columns.count)
        var index = 0
        while true {
            if index < end, buffer[index] == quote {
                var field: [UInt8] = []
                index += 1
                while true {
                    guard index < end else {
                        throw RowError(column: nil, message: "field \(fields.count + 1) opens a quote that does not close on this line")
                    }
                    if buffer[index] == quote {
                        if index + 1 < end, buffer[index + 1] == quote {
                            field.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    field.append(buffer[index])
                    index += 1
                }
                guard index == end || buffer[index] == comma else {
                    throw RowError(column: nil, message: "text after the closing quote of field \(fields.count + 1)")
                }
                fields.append(String(decoding: field, as: UTF8.self))
            } else {
                let start = index
                while index < end, buffer[index] != comma {
                    if buffer[index] == quote {
                        throw RowError(column: nil, message: "a quote inside unquoted field \(fields.count + 1)")
                    }
                    index += 1
                }
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self))
            }
            guard index < end else { return fields }
            index += 1  // the comma
        }
    }
}
