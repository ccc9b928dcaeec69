import WatchCore

/// The recent unhealthy spells of each vantage, to tell whether a vantage was unhealthy at any
/// moment of a slice (docs/SLA.md section 4: a measurement taken in a moment of doubt is not trusted).
struct VantageHealthLedger: Sendable {
    private struct Spell {
        var start: Timestamp
        var end: Timestamp?
    }

    private var spells: [String: [Spell]] = [:]

    /// Records a verdict taken at `at`.
    mutating func record(vantage: String, healthy: Bool, at: Timestamp) {
        var list = spells[vantage, default: []]
        let open = list.last.map { $0.end == nil } ?? false
        if healthy, open {
            list[list.count - 1].end = at
        } else if !healthy, !open {
            list.append(Spell(start: at, end: nil))
        }
        spells[vantage] = list
    }

    /// Whether `vantage` was unhealthy at any moment of `[from, to)`.
    func wasUnhealthy(_ vantage: String, from: Timestamp, to: Timestamp) -> Bool {
        guard let list = spells[vantage] else { return false }
        return list.contains { $0.start < to && ($0.end.map { $0 > from } ?? true) }
    }

    /// Whether `vantage` is unhealthy now (its last spell is open).
    func isUnhealthy(_ vantage: String) -> Bool {
        spells[vantage]?.last.map { $0.end == nil } ?? false
    }

    /// Forgets spells that ended before `cutoff`.
    mutating func prune(before cutoff: Timestamp) {
        for vantage in spells.keys {
            spells[vantage]?.removeAll { $0.end.map { $0 < cutoff } ?? false }
        }
    }
}
