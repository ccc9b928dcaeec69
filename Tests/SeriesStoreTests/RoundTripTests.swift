import Foundation
import Testing
import WatchCore
@testable import SeriesStore

@Suite struct RoundTripTests {
    private func registerSeries(_ writer: StoreWriter, count: Int) throws -> [SeriesID] {
        try (0..<count).map { index in
            try writer.register(SeriesKey(target: TargetID("t\(index)"), vantage: "v1", family: index % 2 == 0 ? .v4 : .v6),
                                metadata: SeriesMetadata(provider: "p\(index % 3)", kind: .dns, labels: ["tier": "\(index)"]))
        }
    }

    @Test func everyFieldSurvivesWriteSealAndReadBitForBit() throws {
        let directory = TemporaryDirectory("roundtrip")
        defer { directory.remove() }
        let writer = try StoreWriter(directory: directory.path, options: testOptions(blockCapacity: 100))
        let series = try registerSeries(writer, count: 7)
        let input = edgeCaseResults(series: series, count: 5_000, seed: 42)
        try writer.append(contentsOf: input)
        try writer.flush()

        // Before sealing: the active segment returns the results in append order.
        #expect(try StoreReader(directory: directory.path).results() == input)

        try writer.sealActiveSegment()
        let reports = try writer.sealPendingSegments()
        #expect(reports.count == 1)
        #expect(reports.first?.results == input.count)
        #expect(directory.files(withSuffix: ".wal").count == 1)  // the new, empty active segment
        #expect(directory.files(withSuffix: ".sealed").count == 1)

        let reader = try StoreReader(directory: directory.path)
        let output = try reader.results()
        #expect(output.count == input.count)
        #expect(bySeries(output) == bySeries(input))
        #expect(try SeriesStore.verify(directory: directory.path).isEmpty)
        try writer.close()
    }

    @Test func failureReasonsRoundTripThroughTheStableCodeTable() {
        var seen = Set<UInt8>()
        for reason in FailureReason.allCases {
            let code = StoredFailureCode.code(of: reason)
            #expect(code != 0)
            #expect(StoredFailureCode.reason(forCode: code) == reason)
            seen.insert(code)
        }
        #expect(seen.count == FailureReason.allCases.count)
        #expect(StoredFailureCode.reason(forCode: 0) == nil)
        #expect(StoredFailureCode.reason(forCode: 250) == nil)
    }

    @Test func probeResultsConvertAtStoredResolution() {
        var phases = PhaseTimings()
        phases.connect = .microseconds(1_500)
        phases.tls = .nanoseconds(2_999)
        let probe = ProbeResult(
            target: "t", kind: .http, ipFamily: .v4, scheduledAt: Timestamp(nanosecondsSinceEpoch: 1_000_000_000_123_456),
            startedAt: Timestamp(nanosecondsSinceEpoch: 1_000_000_004_999_999), failure: .httpStatus, code: 503,
            duration: .microseconds(25_000), phases: phases)
        let stored = StoredResult(probe, series: 9)
        #expect(stored.scheduledMillis == 1_000_000_000)
        #expect(stored.startMillis == 1_000_000_004)
        #expect(stored.latenessMillis == 4)
        #expect(stored.failure == .httpStatus && !stored.success)
        #expect(stored.code == 503)
        #expect(stored.phases[.connect] == 1_500 && stored.phases[.tls] == 2 && stored.phases[.resolve] == nil)
        #expect(stored.phaseTimings.connect == .microseconds(1_500))

        let entry = SeriesEntry(id: 9, key: SeriesKey(target: "t", vantage: "v", family: .v4), metadata: SeriesMetadata(kind: .http))
        let rebuilt = stored.probeResult(in: entry)!
        #expect(StoredResult(rebuilt, series: 9) == stored)
        #expect(rebuilt.target == "t" && rebuilt.kind == .http && rebuilt.ipFamily == .v4 && !rebuilt.success)
        #expect(stored.probeResult(in: SeriesEntry(id: 9, key: entry.key, metadata: SeriesMetadata())) == nil)
    }

    @Test func seriesIndexSurvivesRestartAndKeepsIDs() throws {
        let directory = TemporaryDirectory("index")
        defer { directory.remove() }
        var ids: [SeriesID] = []
        do {
            let writer = try StoreWriter(directory: directory.path, options: testOptions())
            ids = try registerSeries(writer, count: 50)
            try writer.close()
        }
        let reopened = try StoreWriter(directory: directory.path, options: testOptions())
        #expect(try registerSeries(reopened, count: 50) == ids)
        let fresh = try reopened.register(SeriesKey(target: "new", vantage: "v1", family: .v4))
        #expect(!ids.contains(fresh))
        // A batch: known keys keep their ids, new ones get fresh ids, a repeated new key one id.
        let batch = try reopened.register([
            (SeriesKey(target: "t1", vantage: "v1", family: .v6), SeriesMetadata(provider: "p1", kind: .dns, labels: ["tier": "1"])),
            (SeriesKey(target: "b1", vantage: "v1", family: .v4), SeriesMetadata()),
            (SeriesKey(target: "b1", vantage: "v1", family: .v4), SeriesMetadata()),
        ])
        #expect(batch[0] == ids[1])
        #expect(batch[1] == batch[2] && !ids.contains(batch[1]) && batch[1] != fresh)
        try reopened.close()
        let reader = try StoreReader(directory: directory.path)
        #expect(reader.series.count == 52)
        #expect(reader.series[ids[4]]?.metadata.labels["tier"] == "4")
        #expect(reader.series[ids[5]]?.key.family == .v6)
    }

    @Test func timeRangeAndSeriesFiltersSkipBlocksOnTheirSummaries() throws {
        let directory = TemporaryDirectory("filter")
        defer { directory.remove() }
        let writer = try StoreWriter(directory: directory.path, options: testOptions(blockCapacity: 64))
        let history = SyntheticHistory(.init(targets: 10, startMillis: 1_800_000_000_000, slotsPerTarget: 1_000))
        let ids = try history.series().map { try writer.register($0.key, metadata: $0.metadata) }
        var all: [StoredResult] = []
        history.forEachResult(seriesIDs: ids) { all.append($0) }
        try writer.append(contentsOf: all)
        try writer.sealActiveSegment()
        try writer.sealPendingSegments()
        let reader = try StoreReader(directory: directory.path)
        let from: Int64 = 1_800_000_000_000 + 200 * 30_000, to: Int64 = 1_800_000_000_000 + 300 * 30_000
        var report = ScanReport()
        var got: [StoredResult] = []
        report = try reader.scan(fromMillis: from, toMillis: to, series: [ids[3]]) { got.append($0) }
        let expected = all.filter { $0.series == ids[3] && $0.startMillis >= from && $0.startMillis < to }
        #expect(got == expected)
        #expect(report.blocksSkipped > report.blocksDecoded)
        let summaries = try reader.blockSummaries(series: [ids[3]]).summaries
        #expect(summaries.reduce(0) { $0 + $1.count } == 1_000)
        #expect(summaries.reduce(0) { $0 + $1.failures } == all.filter { $0.series == ids[3] && !$0.success }.count)
        var merged = LatencySketch()
        for summary in summaries { merged.merge(summary.latency) }
        #expect(merged.count == 1_000)
        try writer.close()
    }
}
