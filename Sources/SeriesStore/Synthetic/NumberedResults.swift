/// A reproducible sequence of results where result `n` depends only on `n` and a seed, so that a
/// process that was killed can be checked against exactly what it wrote (the crash test uses it).
public enum NumberedResults {
    /// How many series the sequence spreads over (result `n` belongs to series `n % seriesCount`).
    public static let seriesCount = 16

    /// Result number `index` of the sequence `seed`, for series id `seriesIDs[index % seriesCount]`.
    public static func result(at index: Int, seed: UInt64, seriesIDs: [SeriesID]) -> StoredResult {
        var random = SplitMix64(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
        let slot = Int64(index / seriesCount)
        let scheduled = 1_800_000_000_000 + slot * 30_000
        let failed = random.next() % 20 == 0
        var phases = StoredPhases()
        for code in 0..<StoredPhases.phaseCount where random.next() % 2 == 0 {
            phases[code: code] = UInt32(truncatingIfNeeded: random.next() % 2_000_000)
        }
        var result = StoredResult(
            series: seriesIDs[index % seriesCount], scheduledMillis: random.next() % 10 == 0 ? nil : scheduled,
            startMillis: scheduled + Int64(random.next() % 40), success: !failed, failure: nil,
            code: random.next() % 4 == 0 ? nil : Int32(truncatingIfNeeded: random.next() % 600),
            latencyMicros: UInt32(truncatingIfNeeded: random.next() % 5_000_000), phases: phases)
        if failed { result.failureCode = UInt8(1 + random.next() % 29) }
        return result
    }
}
