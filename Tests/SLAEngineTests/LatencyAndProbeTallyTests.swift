import Foundation
import SLAEngine
import SeriesStore
import Testing
import WatchCore

@Suite struct LatencyAndProbeTallyTests {
    /// Deterministic pseudo-random numbers (SplitMix64).
    private struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }

    private static func success(_ micros: UInt32, phases: [Phase: UInt32] = [:]) -> StoredResult {
        var stored = StoredPhases()
        for (phase, value) in phases { stored[phase] = value }
        return StoredResult(
            series: 0, scheduledMillis: nil, startMillis: 0, success: true, failure: nil, code: 0,
            latencyMicros: micros, phases: stored)
    }

    /// Exact value of rank ⌊q·(n−1)⌋, the rank the sketch's guarantee is stated for.
    private static func exact(_ sorted: [UInt32], _ q: Double) -> Double {
        Double(sorted[Int((q * Double(sorted.count - 1)).rounded(.down))])
    }

    static let distributions: [String] = ["uniform", "exponential", "lognormal-bimodal"]

    @Test(arguments: distributions)
    func percentilesAreWithinOnePercentOfTheExactValueOfTheirRank(distribution: String) throws {
        var random = SplitMix64(state: 42)
        var values: [UInt32] = []
        for _ in 0..<50_000 {
            let value: Double = switch distribution {
            case "uniform": 1_000 + random.unit() * 99_000
            case "exponential": -log(1 - random.unit()) * 20_000 + 1
            default: random.unit() < 0.9 ? 5_000 + random.unit() * 5_000 : 400_000 + random.unit() * 600_000
            }
            values.append(UInt32(value))
        }
        var tally = ProbeTally()
        for value in values { tally.add(Self.success(value, phases: [.request: value / 2]), kind: .dns) }
        let figures = try #require(LatencyFigures(microseconds: tally.latency))
        let sorted = values.sorted()
        for (q, reported) in [(0.5, figures.p50), (0.95, figures.p95), (0.99, figures.p99)] {
            let truth = Self.exact(sorted, q) / 1_000
            #expect(abs(reported - truth) <= 0.01 * truth, "q=\(q): \(reported) ms vs exact \(truth) ms")
        }
        #expect(figures.max == Double(sorted.last!) / 1_000)
        #expect(figures.count == 50_000)
        let exactMean = Double(values.reduce(0) { $0 + UInt64($1) }) / 50_000 / 1_000
        #expect(abs(figures.mean - exactMean) < 1e-9 * exactMean)
        let request = try #require(tally.phases[.request].flatMap { LatencyFigures(microseconds: $0) })
        let truth = Self.exact(sorted.map { $0 / 2 }, 0.95) / 1_000
        #expect(abs(request.p95 - truth) <= 0.01 * truth)
    }

    @Test func onlySuccessfulProbesMakeTheLatencyFigures() {
        var tally = ProbeTally()
        tally.add(Self.success(10_000), kind: .http)
        tally.add(StoredResult(series: 0, scheduledMillis: nil, startMillis: 0, success: false, failure: .httpTimeout,
                               code: nil, latencyMicros: 5_000_000), kind: .http)
        #expect(LatencyFigures(microseconds: tally.latency)?.max == 10)
        #expect(tally.failures == 1)
        #expect(tally.failureReasons == ["http_timeout": 1])
    }

    @Test func dnsFailuresSplitIntoTimeoutsAndRcodes() {
        var tally = ProbeTally()
        func failed(_ reason: FailureReason, _ rcode: Int32?) -> StoredResult {
            StoredResult(series: 0, scheduledMillis: nil, startMillis: 0, success: false, failure: reason, code: rcode,
                         latencyMicros: 1_000)
        }
        for result in [failed(.dnsTimeout, nil), failed(.dnsTimeout, nil), failed(.dnsServfail, 2), failed(.dnsRefused, 5),
                       failed(.dnsMismatch, 0), Self.success(900), Self.success(800)] {
            tally.add(result, kind: .dns)
        }
        #expect(tally.dnsProbes == 7)
        #expect(tally.dnsFailures == 5)
        #expect(tally.dnsTimeouts == 2)
        #expect(tally.dnsFailureRcodes == [2: 1, 5: 1, 0: 1])
        #expect(tally.failureReasons == ["dns_timeout": 2, "dns_servfail": 1, "dns_refused": 1, "dns_mismatch": 1])
    }

    @Test func httpStatusesAreCountedForEveryAnsweredProbe() {
        var tally = ProbeTally()
        tally.add(StoredResult(series: 0, scheduledMillis: nil, startMillis: 0, success: true, failure: nil, code: 200,
                               latencyMicros: 1), kind: .http)
        tally.add(StoredResult(series: 0, scheduledMillis: nil, startMillis: 0, success: false, failure: .httpStatus,
                               code: 503, latencyMicros: 1), kind: .http)
        tally.add(StoredResult(series: 0, scheduledMillis: nil, startMillis: 0, success: false, failure: .tcpRefused,
                               code: nil, latencyMicros: 1), kind: .http)
        #expect(tally.httpStatuses == [200: 1, 503: 1])
    }

    @Test func tallyMergeIsTheTallyOfTheUnion() {
        var first = ProbeTally(), second = ProbeTally(), both = ProbeTally()
        for value in [UInt32(100), 200, 300] { first.add(Self.success(value), kind: .dns); both.add(Self.success(value), kind: .dns) }
        for value in [UInt32(400), 500] { second.add(Self.success(value), kind: .dns); both.add(Self.success(value), kind: .dns) }
        first.merge(second)
        #expect(first == both)
    }
}
