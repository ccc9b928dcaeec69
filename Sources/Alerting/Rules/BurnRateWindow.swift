/// The pooled UP and DOWN unit-slices of one objective over its longest window, and the state of
/// each of its window pairs.
struct BurnRateWindow: Sendable {
    /// A pair's change.
    enum Transition {
        case fired(pair: Int, longBurn: Double, shortBurn: Double)
        case resolved(pair: Int)
    }

    let watched: BurnRateObjective
    private let longSlices: [Int]
    private let shortSlices: [Int]
    // Cumulative (UP, DOWN) counts after each slice, as a ring holding the longest window plus one.
    private var cumulative: [(up: Int, down: Int)]
    private var fed = 0
    private var totals = (up: 0, down: 0)
    private(set) var firing: [Bool]

    init(watched: BurnRateObjective, sliceMillis: Int64) {
        self.watched = watched
        func slices(_ duration: Duration) -> Int {
            Swift.max(1, Int((duration.nanoseconds / 1_000_000 + sliceMillis - 1) / sliceMillis))
        }
        longSlices = watched.pairs.map { slices($0.long) }
        shortSlices = watched.pairs.map { slices($0.short) }
        cumulative = Array(repeating: (0, 0), count: (longSlices.max() ?? 1) + 1)
        firing = Array(repeating: false, count: watched.pairs.count)
    }

    /// Adds one slice's pooled counts and judges every pair.
    mutating func feed(up: Int, down: Int) -> [Transition] {
        totals.up += up
        totals.down += down
        fed += 1
        cumulative[fed % cumulative.count] = totals
        let budget = 1 - watched.objective.availability
        var transitions: [Transition] = []
        for pair in watched.pairs.indices {
            // A window reaching before the first slice is not judged: its burn would be guessed.
            guard fed >= longSlices[pair], let long = burn(over: longSlices[pair], budget: budget),
                  let short = burn(over: shortSlices[pair], budget: budget)
            else { continue }
            let threshold = watched.pairs[pair].threshold(period: watched.period)
            let burning = long > threshold && short > threshold
            if burning, !firing[pair] {
                firing[pair] = true
                transitions.append(.fired(pair: pair, longBurn: long, shortBurn: short))
            } else if !burning, firing[pair] {
                firing[pair] = false
                transitions.append(.resolved(pair: pair))
            }
        }
        return transitions
    }

    private func burn(over slices: Int, budget: Double) -> Double? {
        let then = fed >= slices ? cumulative[(fed - slices) % cumulative.count] : (up: 0, down: 0)
        let up = totals.up - then.up
        let down = totals.down - then.down
        guard up + down > 0, budget > 0 else { return nil }
        return Double(down) / Double(up + down) / budget
    }
}
