/// Durations written the way Prometheus writes them: `500ms`, `30s`, `1m30s`, `2h`, `1d`.
///
/// Units, largest first and each at most once: `y` (365 d), `w`, `d`, `h`, `m`, `s`, `ms`, `us`/`µs`,
/// `ns`. A bare `0` is zero. A number without a unit is refused, because `30` could mean seconds
/// or milliseconds and a config should never make the reader guess.
public enum DurationSyntax {
    private static let units: [(symbol: String, nanoseconds: Int64)] = [
        ("y", 365 * 86_400 * 1_000_000_000), ("w", 7 * 86_400 * 1_000_000_000), ("d", 86_400 * 1_000_000_000),
        ("h", 3_600 * 1_000_000_000), ("m", 60 * 1_000_000_000), ("s", 1_000_000_000),
        ("ms", 1_000_000), ("us", 1_000), ("µs", 1_000), ("ns", 1),
    ]

    /// Parses `text`; `nil` when it is not a duration in this syntax.
    public static func parse(_ text: String) -> Duration? {
        if text == "0" { return .zero }
        var rest = Substring(text)
        var total: Int64 = 0
        var lastUnitIndex = -1
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            // Longest symbol first, so `ms` is not read as `m` followed by garbage.
            let candidates = units.enumerated().filter { rest.hasPrefix($0.element.symbol) }
            guard let match = candidates.max(by: { $0.element.symbol.count < $1.element.symbol.count }) else {
                return nil
            }
            // `us` and `µs` share a rank; anything else must strictly descend.
            let rank = match.offset == 8 ? 7 : match.offset
            guard rank > lastUnitIndex else { return nil }
            lastUnitIndex = rank
            rest = rest.dropFirst(match.element.symbol.count)
            let (product, overflow) = value.multipliedReportingOverflow(by: match.element.nanoseconds)
            guard !overflow else { return nil }
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !sumOverflow else { return nil }
            total = sum
        }
        return .nanoseconds(total)
    }

    /// Formats `duration` in the same syntax, largest units first: `1m30s`, `250ms`, `0s`.
    public static func format(_ duration: Duration) -> String {
        let nanoseconds = duration.nanoseconds
        if nanoseconds == 0 { return "0s" }
        var text = nanoseconds < 0 ? "-" : ""
        // `.min` has no positive counterpart; one nanosecond less is close enough for a message.
        var remaining = nanoseconds == .min ? .max : abs(nanoseconds)
        // Weeks and years are left out: `14d` reads better than `2w`, and a year is not 365 days.
        for (symbol, size) in units where !["y", "w", "µs"].contains(symbol) && remaining >= size {
            text += "\(remaining / size)\(symbol)"
            remaining %= size
        }
        return text
    }
}

/// Sizes in bytes: `512` (bytes), `512B`, `64KiB`, `1MiB`, `2GiB`, and the decimal `kB`, `MB`, `GB`.
public enum ByteSizeSyntax {
    private static let units: [(symbol: String, bytes: Int)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
        ("kB", 1_000), ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1),
    ]

    /// Parses `text`; `nil` when it is not a size.
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingSpaces()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let value = Int(digits) else { return nil }
        let suffix = trimmed.dropFirst(digits.count).trimmingSpaces()
        if suffix.isEmpty { return value }
        guard let unit = units.first(where: { $0.symbol == suffix }) else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: unit.bytes)
        return overflow ? nil : bytes
    }

    /// Formats `bytes` with the largest binary unit that divides it: `1MiB`, `1536KiB`, `100B`.
    public static func format(_ bytes: Int) -> String {
        for (symbol, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        where bytes != 0 && bytes % size == 0 {
            return "\(bytes / size)\(symbol)"
        }
        return "\(bytes)B"
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
