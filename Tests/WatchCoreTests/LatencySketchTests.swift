import Foundation
import Testing
import WatchCore

/// A seeded generator so that failures reproduce.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Integral microseconds from a lognormal distribution, like probe latencies.
private func lognormalMicros(count: Int, median: Double, sigma: Double, seed: UInt64) -> [Double] {
    var generator = SplitMix64(state: seed)
    return (0..<count).map { _ in
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        let normal = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        return (median * exp(sigma * normal)).rounded()
    }
}

@Suite struct LatencySketchTests {
    @Test(arguments: [(5_000.0, 0.3), (80_000.0, 0.8), (200.0, 1.5)])
    func quantilesStayWithinOnePercentOfExact(median: Double, sigma: Double) {
        let values = lognormalMicros(count: 50_000, median: median, sigma: sigma, seed: 7)
        var sketch = LatencySketch()
        for value in values { sketch.add(value) }
        let sorted = values.sorted()
        for q in [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0] {
            let exact = sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
            let estimate = sketch.quantile(q)!
            #expect(abs(estimate - exact) <= exact * LatencySketch.relativeAccuracy + 1e-9,
                    "q=\(q) exact=\(exact) estimate=\(estimate)")
        }
        #expect(sketch.count == UInt64(values.count))
        #expect(sketch.min == sorted.first)
        #expect(sketch.max == sorted.last)
        #expect(sketch.sum == values.reduce(0, +))
    }

    @Test func mergeEqualsSketchOfUnion() {
        let first = lognormalMicros(count: 3_000, median: 20_000, sigma: 0.5, seed: 1)
        let second = lognormalMicros(count: 5_000, median: 900, sigma: 1.0, seed: 2) + [0, 0]
        var a = LatencySketch(), b = LatencySketch(), union = LatencySketch()
        for value in first { a.add(value); union.add(value) }
        for value in second { b.add(value); union.add(value) }
        #expect(a.merged(with: b) == union)
        #expect(b.merged(with: a) == union)
        #expect(a.merged(with: b).quantile(0.5) == union.quantile(0.5))
    }

    @Test func serializationRoundTripsAndStaysCompact() throws {
        let values = lognormalMicros(count: 1_024, median: 15_000, sigma: 0.4, seed: 3)
        var sketch = LatencySketch()
        for value in values { sketch.add(value) }
        let bytes = sketch.serialized()
        var offset = 0
        let decoded = try bytes.withUnsafeBytes { try LatencySketch(decoding: $0, offset: &offset) }
        #expect(decoded == sketch)
        #expect(offset == bytes.count)
        // About one byte per bucket between the extremes plus the three doubles.
        let buckets = sketch.nonEmptyBuckets
        #expect(bytes.count <= (buckets.last!.index - buckets.first!.index + 1) * 2 + 32)
        let empty = LatencySketch().serialized()
        offset = 0
        #expect(try empty.withUnsafeBytes { try LatencySketch(decoding: $0, offset: &offset) }.isEmpty)
    }

    @Test func hostileBytesThrowInsteadOfCrashing() {
        var generator = SplitMix64(state: 11)
        var sketch = LatencySketch()
        for value in lognormalMicros(count: 200, median: 1_000, sigma: 0.5, seed: 5) { sketch.add(value) }
        let good = sketch.serialized()
        for _ in 0..<2_000 {
            var bytes = good
            let flips = Int.random(in: 1...4, using: &generator)
            for _ in 0..<flips { bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator) }
            if Bool.random(using: &generator) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator)) }
            var offset = 0
            _ = try? bytes.withUnsafeBytes { try LatencySketch(decoding: $0, offset: &offset) }
        }
    }
}
