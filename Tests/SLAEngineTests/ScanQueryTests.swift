import Foundation
@testable import SLAEngine
import SeriesStore
import Testing
import WatchCore

/// Q1–Q4 and the ad-hoc groupings of ``FigureEngine`` against a naive result-by-result computation
/// on a small store, read raw, from rollups built on the way, and from existing rollups.
@Suite struct ScanQueryTests {
    static let policies: [RollupPolicy] = [.ignore, .useAndBuild, .useExisting]

    /// The whole written span plus a margin, on whole hours: rollups answer every segment.
    static func wholeRange() -> FigureQuery {
        FigureQuery(fromMillis: ScanFixture.startMillis, toMillis: ScanFixture.startMillis + Int64(ScanFixture.days) * 86_400_000)
    }

    func answers(_ query: FigureQuery, in directory: String) throws -> [RollupPolicy: FigureAnswer] {
        var answers: [RollupPolicy: FigureAnswer] = [:]
        for policy in Self.policies {
            let engine = FigureEngine(readers: [try StoreReader(directory: directory)], rollups: policy, threads: 2)
            answers[policy] = try engine.answer(query)
        }
        return answers
    }

    @Test func q1PerTargetFiguresEqualTheNaiveComputationWithAndWithoutRollups() throws {
        let directory = ScanTemporaryDirectory("q1")
        defer { directory.remove() }
        try ScanFixture.write(into: directory.path)
        let query = Self.wholeRange()
        let naive = try ScanFixture.naiveRows(directory.path, query)
        let answers = try answers(query, in: directory.path)
        #expect(naive.rows.map(\.group) == ["t0", "t1", "t2", "t3", "t4", "t5"], "the control series is left out")
        for (policy, answer) in answers {
            #expect(sameRows(answer.rows, naive.rows), "\(policy): \(firstDifference(answer.rows, naive.rows))")
        }
        #expect(answers[.ignore]!.scan.segmentsFromRollups == 0 && answers[.ignore]!.scan.sealedSegmentsDecoded > 1)
        #expect(answers[.useAndBuild]!.scan.rollupsBuilt == answers[.ignore]!.scan.sealedSegmentsDecoded)
        #expect(answers[.useExisting]!.scan.rollupsBuilt == 0 && answers[.useExisting]!.scan.segmentsFromRollups > 1)
        #expect(answers[.useExisting]!.scan.activeSegmentsRead > 0, "active segments are read as well")
        // t1 is two series (two vantages): its slices add up.
        let t1 = answers[.ignore]!.rows.first { $0.group == "t1" }!
        #expect(t1.upSlices + t1.downSlices + t1.unknownSlices == 2 * query.grid.count)
    }

    @Test func q2PerTargetPerDayInATimeZoneEqualsTheNaiveComputation() throws {
        let directory = ScanTemporaryDirectory("q2")
        defer { directory.remove() }
        try ScanFixture.write(into: directory.path)
        var query = Self.wholeRange()
        query.bucketing = .day(utcOffsetSeconds: 7 * 3_600)
        let naive = try ScanFixture.naiveRows(directory.path, query)
        #expect(naive.rows.count == 6 * 3, "two UTC days cut by +07:00 midnight are three local days")
        for (policy, answer) in try answers(query, in: directory.path) {
            #expect(sameRows(answer.rows, naive.rows), "\(policy): \(firstDifference(answer.rows, naive.rows))")
        }
    }

    @Test func q3OneTargetPerDayWithTotalsEqualsTheNaiveComputation() throws {
        let directory = ScanTemporaryDirectory("q3")
        defer { directory.remove() }
        try ScanFixture.write(into: directory.path)
        var query = Self.wholeRange()
        query.bucketing = .day(utcOffsetSeconds: 0)
        query.includesTotals = true
        query.targets = ["t3"]
        let naive = try ScanFixture.naiveRows(directory.path, query)
        #expect(naive.rows.count == 3 && naive.rows.last!.bucketStartMillis == nil)
        for (policy, answer) in try answers(query, in: directory.path) {
            #expect(sameRows(answer.rows, naive.rows), "\(policy): \(firstDifference(answer.rows, naive.rows))")
        }
    }

    @Test func q4IncidentsEqualTheDetectorOverNaiveSliceStates() throws {
        let directory = ScanTemporaryDirectory("q4")
        defer { directory.remove() }
        try ScanFixture.write(into: directory.path)
        var query = Self.wholeRange()
        query.includesIncidents = true
        let naive = try ScanFixture.naiveRows(directory.path, query)
        let targets = Set(naive.incidents.map(\.target))
        #expect(targets.isSuperset(of: ["t0", "t1", "t3"]), "the fixture's outages are incidents: \(naive.incidents)")
        #expect(naive.incidents.filter { $0.target == "t1" }.allSatisfy { $0.vantage == "hanoi" })
        for (policy, answer) in try answers(query, in: directory.path) {
            #expect(answer.incidents == naive.incidents, "\(policy)")
        }
    }

    @Test(arguments: [FigureGrouping.provider, .service, .vantage, .region, .series])
    func groupingsAndHourBucketsOverAPartialRangeEqualTheNaiveComputation(_ grouping: FigureGrouping) throws {
        let directory = ScanTemporaryDirectory("group")
        defer { directory.remove() }
        try ScanFixture.write(into: directory.path)
        // Not on whole hours, so rollups cannot answer the segments at the edges: those are decoded.
        var query = FigureQuery(fromMillis: ScanFixture.startMillis + 5 * 3_600_000 + 17 * 60_000,
                                toMillis: ScanFixture.startMillis + 40 * 3_600_000 + 3 * 60_000)
        query.grouping = grouping
        query.bucketing = .hour
        let naive = try ScanFixture.naiveRows(directory.path, query)
        let answers = try answers(query, in: directory.path)
        for (policy, answer) in answers {
            #expect(sameRows(answer.rows, naive.rows), "\(policy): \(firstDifference(answer.rows, naive.rows))")
        }
        let mixed = answers[.useExisting]!.scan
        #expect(mixed.segmentsFromRollups > 0 && mixed.sealedSegmentsDecoded > 0, "inner segments from rollups, edges decoded")
    }

    @Test(arguments: [FigureBucketing.none, .day(utcOffsetSeconds: 0)])
    func rangesCuttingAUTCDayMixDayAndHourHistogramsExactly(_ bucketing: FigureBucketing) throws {
        let directory = ScanTemporaryDirectory("days")
        defer { directory.remove() }
        try ScanFixture.write(into: directory.path)
        // The first day from 05:00 (its hours answer), the second whole (its day histogram answers).
        var query = FigureQuery(fromMillis: ScanFixture.startMillis + 5 * 3_600_000,
                                toMillis: ScanFixture.startMillis + 2 * 86_400_000)
        query.bucketing = bucketing
        #expect(query.rollupSections == .all)
        let naive = try ScanFixture.naiveRows(directory.path, query)
        let answers = try answers(query, in: directory.path)
        for (policy, answer) in answers {
            #expect(sameRows(answer.rows, naive.rows), "\(policy): \(firstDifference(answer.rows, naive.rows))")
        }
        #expect(answers[.useExisting]!.scan.sealedSegmentsDecoded == 0)
    }

    @Test func slicesOfThirtySecondsAndUnalignedStartsAreDecodedExactly() throws {
        let directory = ScanTemporaryDirectory("slices")
        defer { directory.remove() }
        try ScanFixture.write(into: directory.path)
        var query = FigureQuery(fromMillis: ScanFixture.startMillis + 12_345, toMillis: ScanFixture.startMillis + 86_400_000)
        query.sliceMillis = 30_000
        query.includesIncidents = true
        let naive = try ScanFixture.naiveRows(directory.path, query)
        for (policy, answer) in try answers(query, in: directory.path) {
            #expect(sameRows(answer.rows, naive.rows), "\(policy): \(firstDifference(answer.rows, naive.rows))")
            #expect(answer.incidents == naive.incidents)
            #expect(answer.scan.segmentsFromRollups == 0, "rollups hold minutes, not 30-second slices")
        }
    }
}

/// The per-series slices handed to the accounting rules.
@Suite struct ScanSeriesSlicesTests {
    @Test func seriesSlicesEqualSliceCountsBuiltResultByResult() throws {
        let directory = ScanTemporaryDirectory("slices-api")
        defer { directory.remove() }
        try ScanFixture.write(into: directory.path)
        var query = ScanQueryTests.wholeRange()
        query.bucketing = .day(utcOffsetSeconds: 0)
        let reader = try StoreReader(directory: directory.path)
        var naive: [SeriesKey: SliceCounts] = [:]
        var sketches: [SeriesKey: LatencySketch] = [:]
        for result in try reader.results(fromMillis: query.fromMillis, toMillis: query.toMillis) {
            let key = reader.series[result.series]!.key
            naive[key, default: SliceCounts(grid: query.grid)].add(startMillis: result.startMillis, success: result.success)
            if result.success, result.startMillis < query.fromMillis + 86_400_000 {
                sketches[key, default: LatencySketch()].add(Double(result.latencyMicros))
            }
        }
        for policy in [RollupPolicy.ignore, .useAndBuild] {
            let engine = FigureEngine(readers: [reader], rollups: policy)
            let targets = try engine.seriesSlices(query).series
            #expect(targets.count == 7, "six targets, one of them from two vantages; no control series")
            let all = try engine.seriesSlices(query, roles: [.target, .control]).series
            #expect(all.count == 8)
            for series in all {
                #expect(series.counts == naive[series.key], "\(policy) \(series.key)")
                #expect(series.bucketStartMillis == [query.fromMillis, query.fromMillis + 86_400_000])
                #expect(series.latency[0] == sketches[series.key], "\(policy) \(series.key)")
            }
        }
    }
}
