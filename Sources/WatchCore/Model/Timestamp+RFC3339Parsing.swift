extension Timestamp {
    /// Parses an RFC 3339 date-time, strictly: `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z` or a
    /// `±HH:MM` offset, e.g. `2027-02-03T00:00:00.123Z` or `2027-02-03T00:00+07:00`.
    ///
    /// Seconds may be left out (as in the command-line examples users type); everything else RFC 3339
    /// requires is required: a zero-padded field of exact width, an offset, valid ranges (a day that
    /// exists in its month, a leap second only as `:60` and read as `:59.999…`). `T`/`Z` may be lower
    /// case and `T` may be a space, as RFC 3339 allows. Fractions beyond nanoseconds are truncated.
    ///
    /// - Returns: `nil` when `text` is not such a date-time.
    public init?(rfc3339 text: String) {
        var text = text
        let parsed = text.withUTF8 { buffer -> Int64? in
            var bytes = buffer[...]
            guard let nanos = RFC3339.parse(&bytes), bytes.isEmpty else { return nil }
            return nanos
        }
        guard let parsed else { return nil }
        self.init(nanosecondsSinceEpoch: parsed)
    }
}

extension RFC3339 {
    /// Parses a date-time from the front of `bytes` (see ``Timestamp/init(rfc3339:)``).
    static func parse<Bytes: Collection<UInt8>>(_ bytes: inout Bytes) -> Int64? where Bytes.SubSequence == Bytes {
        guard let year = digits(&bytes, 4), literal(&bytes, "-"),
              let month = digits(&bytes, 2), literal(&bytes, "-"),
              let day = digits(&bytes, 2), separator(&bytes),
              let hour = digits(&bytes, 2), literal(&bytes, ":"),
              let minute = digits(&bytes, 2)
        else { return nil }
        var second: Int64 = 0
        var fractionNanos: Int64 = 0
        if literal(&bytes, ":") {
            guard let value = digits(&bytes, 2) else { return nil }
            second = value
            if literal(&bytes, ".") {
                var scale: Int64 = 100_000_000
                var count = 0
                while let byte = bytes.first, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                    fractionNanos += Int64(byte - UInt8(ascii: "0")) * scale
                    scale /= 10
                    count += 1
                    bytes.removeFirst()
                }
                guard count > 0 else { return nil }
            }
        }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour <= 23, minute <= 59, second <= 60
        else { return nil }
        if second == 60 {
            // A leap second: the store's clock has none, so it reads as the last instant of :59.
            second = 59
            fractionNanos = 999_999_999
        }
        guard let offsetSeconds = offset(&bytes) else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        let (total, overflowSum) = scaled.addingReportingOverflow(fractionNanos)
        return overflowSum ? nil : total
    }

    /// Howard Hinnant's days-from-civil algorithm, the inverse of ``civilDate(daysSinceEpoch:)``.
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func digits<Bytes: Collection<UInt8>>(_ bytes: inout Bytes, _ width: Int) -> Int64? where Bytes.SubSequence == Bytes {
        guard bytes.count >= width else { return nil }
        var value: Int64 = 0
        for byte in bytes.prefix(width) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        bytes.removeFirst(width)
        return value
    }

    private static func literal<Bytes: Collection<UInt8>>(_ bytes: inout Bytes, _ character: Unicode.Scalar) -> Bool where Bytes.SubSequence == Bytes {
        guard bytes.first == UInt8(ascii: character) else { return false }
        bytes.removeFirst()
        return true
    }

    private static func separator<Bytes: Collection<UInt8>>(_ bytes: inout Bytes) -> Bool where Bytes.SubSequence == Bytes {
        literal(&bytes, "T") || literal(&bytes, "t") || literal(&bytes, " ")
    }

    /// `Z` or `±HH:MM`, as seconds east of UTC.
    private static func offset<Bytes: Collection<UInt8>>(_ bytes: inout Bytes) -> Int64? where Bytes.SubSequence == Bytes {
        if literal(&bytes, "Z") || literal(&bytes, "z") { return 0 }
        let sign: Int64
        if literal(&bytes, "+") {
            sign = 1
        } else if literal(&bytes, "-") {
            sign = -1
        } else {
            return nil
        }
        guard let hours = digits(&bytes, 2), literal(&bytes, ":"), let minutes = digits(&bytes, 2),
              hours <= 23, minutes <= 59
        else { return nil }
        return sign * (hours * 3_600 + minutes * 60)
    }
}
