import Foundation
@testable import SLAEngine
import SeriesStore
import Testing
import WatchCore

/// The scan under damage and the rollup files' life cycle.
@Suite struct ScanStoreTests {
    @Test func aCorruptedBlockIsReportedAndTheRestCounted() throws {
        let directory = ScanTemporaryDirectory("corrupt")
        defer { directory.remove() }
        try ScanFixture.write(into: directory.path, activeHours: 0)
        let sealed = directory.files(withSuffix: ".sealed")
        #expect(sealed.count > 1)
        // A byte in the middle of the first block's payload.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: sealed[0]))
        try handle.seek(toOffset: 32 + 24 + 40)
        let byte = try handle.read(upToCount: 1)!
        try handle.seek(toOffset: 32 + 24 + 40)
        try handle.write(contentsOf: Data([byte[0] ^ 0x5A]))
        try handle.close()

        let query = ScanQueryTests.wholeRange()
        let naive = try ScanFixture.naiveRows(directory.path, query, policy: .skip)
        for policy in [RollupPolicy.ignore, .useAndBuild] {
            let answer = try FigureEngine(readers: [try StoreReader(directory: directory.path)], rollups: policy).answer(query)
            #expect(answer.scan.damages.count == 1, "\(policy): \(answer.scan.damages)")
            #expect(answer.scan.damages.first?.path == sealed[0])
            #expect(sameRows(answer.rows, naive.rows), "\(policy): \(firstDifference(answer.rows, naive.rows))")
        }
        // No rollup hides the damage from later queries: the damaged segment has none.
        #expect(!FileManager.default.fileExists(atPath: RollupFile.path(directory: directory.path, sequence: 1)))
        #expect(directory.files(withSuffix: ".rollup").count == sealed.count - 1)
    }

    @Test func aDamagedRollupIsReportedAndTheSegmentReadRaw() throws {
        let directory = ScanTemporaryDirectory("rollup-damage")
        defer { directory.remove() }
        try ScanFixture.write(into: directory.path)
        let query = ScanQueryTests.wholeRange()
        let reader = try StoreReader(directory: directory.path)
        _ = try FigureEngine(readers: [reader], rollups: .useAndBuild).answer(query)
        let rollups = directory.files(withSuffix: ".rollup")
        #expect(!rollups.isEmpty)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: rollups[0]))
        // In the counts sections (first after the header), which every query reads; a damaged
        // section a query does not read goes unnoticed by it.
        bytes[RollupFile.headerLength + 1] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: rollups[0]))

        let naive = try ScanFixture.naiveRows(directory.path, query)
        let existing = try FigureEngine(readers: [reader], rollups: .useExisting).answer(query)
        #expect(existing.scan.rollupProblems.count == 1, "\(existing.scan.rollupProblems)")
        #expect(existing.scan.sealedSegmentsDecoded == 1 && existing.scan.rollupsBuilt == 0)
        #expect(sameRows(existing.rows, naive.rows), "\(firstDifference(existing.rows, naive.rows))")
        let rebuilt = try FigureEngine(readers: [reader], rollups: .useAndBuild).answer(query)
        #expect(rebuilt.scan.rollupsBuilt == 1)
        let clean = try FigureEngine(readers: [reader], rollups: .useExisting).answer(query)
        #expect(clean.scan.rollupProblems.isEmpty && clean.scan.sealedSegmentsDecoded == 0)
        #expect(sameRows(clean.rows, naive.rows))
    }

    @Test func aRollupOfAnotherSegmentIsNeverRead() throws {
        let directory = ScanTemporaryDirectory("rollup-stale")
        defer { directory.remove() }
        try ScanFixture.write(into: directory.path)
        let query = ScanQueryTests.wholeRange()
        let reader = try StoreReader(directory: directory.path)
        _ = try FigureEngine(readers: [reader], rollups: .useAndBuild).answer(query)
        let rollups = directory.files(withSuffix: ".rollup")
        #expect(rollups.count >= 2)
        // The second segment's rollup replaced by the first's: its sequence and source disagree.
        try FileManager.default.removeItem(atPath: rollups[1])
        try FileManager.default.copyItem(atPath: rollups[0], toPath: rollups[1])
        let answer = try FigureEngine(readers: [reader], rollups: .useExisting).answer(query)
        #expect(answer.scan.sealedSegmentsDecoded == 1)
        #expect(sameRows(answer.rows, try ScanFixture.naiveRows(directory.path, query).rows))
    }

    @Test func twoStoresHoldingOneSeriesEachAddUp() throws {
        let first = ScanTemporaryDirectory("store-a"), second = ScanTemporaryDirectory("store-b")
        defer { first.remove(); second.remove() }
        try ScanFixture.write(into: first.path)
        try ScanFixture.write(into: second.path)
        let query = ScanQueryTests.wholeRange()
        let single = try FigureEngine(readers: [try StoreReader(directory: first.path)]).answer(query)
        let both = try FigureEngine(readers: [try StoreReader(directory: first.path), try StoreReader(directory: second.path)])
            .answer(query)
        for (one, two) in zip(single.rows, both.rows) {
            #expect(two.results == 2 * one.results && two.latency.count == 2 * one.latency.count)
            // Same results twice: every slice has twice the probes and twice the failures.
            #expect(two.upSlices == one.upSlices && two.downSlices == one.downSlices)
        }
    }

    @Test(arguments: [0.5, 0.3, 1.0, 0.01, 2.0 / 3.0])
    func downThresholdsAgreeWithTheSliceRule(_ share: Double) {
        let rule = SliceRule(downShare: share)
        let thresholds = SeriesEvaluator.downThresholds(rule)
        for probes in Array(1...300) + [1_000, 1_023, 1_024, 65_535] {
            for failures in Set(Array(0...min(probes, 300)) + [probes / 2, probes / 2 + 1, probes - 1, probes]) {
                let down = thresholds.withUnsafeBufferPointer {
                    SeriesEvaluator.isDown(UInt16(probes), UInt16(failures), $0, rule)
                }
                #expect(down == (rule.state(probes: UInt16(probes), failures: UInt16(failures)) == .down),
                        "share \(share), \(failures) of \(probes)")
            }
        }
    }

    @Test func latencyBucketsAreTheSketchBuckets() {
        let tables = LatencyBuckets.tables
        var random = SplitMix64(seed: 9)
        var values: [UInt32] = Array(1...70_000) + [UInt32.max, UInt32.max - 1, 1 << 31, (1 << 31) - 1]
        for _ in 0..<200_000 { values.append(UInt32(truncatingIfNeeded: random.next() >> UInt64(random.next() % 32))) }
        for value in values where value > 0 {
            var sketch = LatencySketch()
            sketch.add(Double(value))
            #expect(tables.index(value) == sketch.nonEmptyBuckets[0].index, "value \(value)")
        }
    }

    @Test func aHistogramTurnsIntoTheSketchOfTheSameValues() {
        var histogram = LatencyHistogram()
        var sketch = LatencySketch()
        var random = SplitMix64(seed: 3)
        for step in 0..<50_000 {
            let value: UInt32 = step % 1_000 == 0 ? 0 : UInt32(random.next() % 3_000_000)
            histogram.add(value, tables: LatencyBuckets.tables)
            sketch.add(Double(value))
        }
        var encoded: [UInt8] = []
        histogram.encodeAndReset(into: &encoded)
        #expect(histogram.isEmpty)
        encoded.withUnsafeBytes { raw in
            var cursor = DigestCursor(raw)
            try! histogram.merge(decoding: &cursor)
            #expect(cursor.isAtEnd)
        }
        #expect(histogram.sketchAndReset() == sketch)
        for q in [0.5, 0.95, 0.99] { #expect(sketch.quantile(q) != nil) }
    }
}
