/// "Did you mean …" for a word that is close to one of the words allowed in its place.
enum Suggestion {
    /// The allowed word closest to `word` by edit distance, when close enough to be a typo: at most
    /// one edit for short words, at most a third of the word's length for longer ones. Case is
    /// ignored, so `AAAA` is suggested for `aaaa`.
    /// Abbreviations in dig's style (`qtype` for `query_type`) are recognised too.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        if let abbreviated = candidates.first(where: { abbreviation(of: $0) == lowered }) { return abbreviated }
        let scored = candidates.map { ($0, editDistance(lowered, $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        let allowed = max(1, min(3, word.count / 3))
        return best.1 <= allowed ? best.0 : nil
    }

    /// The initials of all words but the last, then the last word: `query_type` → `qtype`.
    private static func abbreviation(of name: String) -> String? {
        let words = name.lowercased().split(separator: "_")
        guard words.count > 1 else { return nil }
        return String(words.dropLast().compactMap(\.first)) + words.last!
    }

    /// ` (did you mean "x"?)`, or an empty string.
    static func didYouMean(_ word: String, among candidates: [String]) -> String {
        closest(to: word, among: candidates).map { "; did you mean \"\($0)\"?" } ?? ""
    }

    /// Levenshtein distance, counting an adjacent transposition as one edit (`tiemout` → `timeout`).
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs), b = Array(rhs)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
