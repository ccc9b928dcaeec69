import WatchCore

extension ServerRequest {
    /// Refuses parameters a route does not know, so a typo (`form=`) is not silently ignored.
    func allowOnly(_ names: Set<String>) throws(RouteFailure) {
        let allowed = names.union(["access_token", "lang"])
        if let unknown = query.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .badParameter(unknown, "unknown parameter; this route takes \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// An RFC 3339 time, when given.
    func timestamp(_ name: String) throws(RouteFailure) -> Timestamp? {
        guard let text = query[name] else { return nil }
        guard let value = Timestamp(rfc3339: text) else {
            throw .badParameter(name, "\"\(text)\" is not an RFC 3339 time like 2027-02-03T00:00:00+07:00")
        }
        return value
    }

    /// An integer in `range`, when given.
    func integer(_ name: String, in range: ClosedRange<Int>) throws(RouteFailure) -> Int? {
        guard let text = query[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw .badParameter(name, "\"\(text)\" is not an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// One of `choices`, when given.
    func choice(_ name: String, of choices: [String]) throws(RouteFailure) -> String? {
        guard let text = query[name] else { return nil }
        guard choices.contains(text) else {
            throw .badParameter(name, "\"\(text)\" is not one of \(choices.joined(separator: ", "))")
        }
        return text
    }

    /// `[from, to)` from `from` and `to`, defaulting to the `defaultLength` before `now`, at most
    /// `longest` long.
    func timeRange(now: Timestamp, defaultLength: Duration, longest: Duration) throws(RouteFailure) -> (from: Timestamp, to: Timestamp) {
        // The default end is the next whole minute, so sealed segments are answered from their rollups.
        let nextMinute = Timestamp(nanosecondsSinceEpoch: (now.nanosecondsSinceEpoch / 60_000_000_000 + 1) * 60_000_000_000)
        let to = try timestamp("to") ?? nextMinute
        let from = try timestamp("from") ?? to.advanced(by: .zero - defaultLength)
        guard to > from else { throw .badParameter("to", "must be after from") }
        guard from.duration(to: to) <= longest else {
            throw .badParameter("from", "the range is longer than \(longest.components.seconds / 86_400) days")
        }
        return (from, to)
    }

    /// The page language: `vi` (the default) or `en`.
    func language() throws(RouteFailure) -> PageLanguage {
        try choice("lang", of: PageLanguage.allCases.map(\.rawValue)).flatMap(PageLanguage.init(rawValue:)) ?? .vietnamese
    }
}
