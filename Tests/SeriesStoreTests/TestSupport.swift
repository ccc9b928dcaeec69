import Foundation
import SeriesStore
import WatchCore

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(_ label: String = "store") {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("seriesstore-\(label)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func files(withSuffix suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
            .filter { $0.hasSuffix(suffix) }.sorted().map { "\(path)/\($0)" }
    }
}

/// Options for tests: no fsync (tmpfs-speed), no background sealing unless asked.
func testOptions(background: Bool = false, blockCapacity: Int = 1_024) -> StoreOptions {
    var options = StoreOptions()
    options.syncOnFlush = false
    options.sealsInBackground = background
    options.blockCapacity = blockCapacity
    return options
}

/// Results that exercise every field: every failure reason, absent and present schedules, codes
/// and phases, extreme values.
func edgeCaseResults(series: [SeriesID], count: Int, seed: UInt64) -> [StoredResult] {
    var random = SplitMix64(seed: seed)
    let reasons: [FailureReason?] = [nil] + FailureReason.allCases
    var results: [StoredResult] = []
    var clock: Int64 = 1_790_000_000_000
    for index in 0..<count {
        clock += Int64(random.next() % 40_000)
        let reason = reasons[index % reasons.count]
        var phases = StoredPhases()
        for code in 0..<StoredPhases.phaseCount where random.next() % 3 == 0 {
            phases[code: code] = random.next() % 10 == 0 ? UInt32.max - UInt32(random.next() % 3) : UInt32(random.next() % 500_000)
        }
        let scheduled: Int64? = random.next() % 7 == 0 ? nil : clock - Int64(random.next() % 50)
        let code: Int32? = switch random.next() % 6 {
        case 0: nil
        case 1: Int32.min
        case 2: Int32.max
        case 3: -1
        default: Int32(random.next() % 600)
        }
        let latency: UInt32 = random.next() % 50 == 0 ? UInt32.max : UInt32(random.next() % 3_000_000)
        results.append(StoredResult(
            series: series[index % series.count], scheduledMillis: scheduled, startMillis: clock,
            success: reason == nil, failure: reason, code: code, latencyMicros: latency, phases: phases))
    }
    // Negative times (before 1970) and the largest values must survive too.
    results.append(StoredResult(series: series[0], scheduledMillis: -5_000, startMillis: -4_321, success: true,
                                failure: nil, code: 0, latencyMicros: 0))
    return results
}

/// Groups results by series, keeping order: what a sealed file preserves.
func bySeries(_ results: [StoredResult]) -> [SeriesID: [StoredResult]] {
    var grouped: [SeriesID: [StoredResult]] = [:]
    for result in results { grouped[result.series, default: []].append(result) }
    return grouped
}
