import Foundation
import SLAEngine
import SeriesStore
import Testing
import WatchCore

/// `SLAComputation.breakdown(by:)` on a store written with `StoreWriter`: three local days of one
/// DNS target from one vantage, two probes a minute, DOWN in slices 100–109 of the first day, and a
/// vantage unhealthy from 00:10 on the first day to 00:20 on the third.
@Suite struct BreakdownTests {
    private static let days = 3

    private func writeStore() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("breakdown-\(UUID().uuidString)").path
        var options = StoreOptions()
        options.syncOnFlush = false
        options.sealsInBackground = false
        let writer = try StoreWriter(directory: path, options: options)
        let series = try writer.register(
            SeriesKey(target: TargetID("vnpt-dns-hn-1"), vantage: "v1", family: .v4),
            metadata: SeriesMetadata(provider: "vnpt", service: "dns", kind: .dns))
        let health = try writer.register(
            SeriesKey(target: SeriesRole.vantageHealthTarget, vantage: "v1", family: .v4),
            metadata: SeriesMetadata(labels: [SeriesRole.labelName: SeriesRole.vantageHealth.rawValue]))
        for (slice, healthy) in [(10, false), (2 * 1_440 + 20, true)] {
            try writer.append(StoredResult(
                series: health, scheduledMillis: nil, startMillis: HandBuilt.at(slice).millisecondsSinceEpoch,
                success: healthy, failure: healthy ? nil : .dnsTimeout, code: nil, latencyMicros: 0))
        }
        for slice in 0..<(Self.days * 1_440) {
            let failed = (100..<110).contains(slice)
            for probe in 0..<2 {
                try writer.append(StoredResult(
                    series: series, scheduledMillis: nil,
                    startMillis: HandBuilt.at(slice).millisecondsSinceEpoch + Int64(probe) * 30_000, success: !failed,
                    failure: failed ? .dnsServfail : nil, code: failed ? 2 : 0, latencyMicros: 10_000 + UInt32(slice % 7) * 1_000))
            }
        }
        try writer.close()
        return path
    }

    @Test func theDaysSliceCountsAddUpToThePeriodsAndHealthCarriesAcrossMidnight() throws {
        let path = try writeStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let computation = SLAComputation(
            readers: [try StoreReader(directory: path)], period: HandBuilt.period(slices: Self.days * 1_440),
            grouping: [.provider])
        let whole = try computation.run()
        let breakdown = try computation.breakdown(by: .day)
        #expect(breakdown.buckets.count == Self.days)
        #expect(breakdown.buckets.map(\.period.from) == (0..<Self.days).map { HandBuilt.at($0 * 1_440) })
        let days = breakdown.buckets.map { try! #require($0.groups.first).availability.slices }
        var sum = SliceTally()
        for day in days { sum.add(day) }
        #expect(sum == whole.groups[0].availability.slices)
        // Unhealthy from 00:10 on day 1: DOWN slices 100–109 are UNKNOWN, so nothing is DOWN.
        #expect(days.map(\.down) == [0, 0, 0])
        // A verdict more than 24 h before day 3 still holds its first 20 minutes.
        #expect(days.map(\.unknown) == [1_430, 1_440, 20])
        let probes = breakdown.buckets.reduce(0) { $0 + $1.groups[0].probes.probes }
        #expect(probes == whole.groups[0].probes.probes)
    }

    @Test func hoursAreLocalHoursClippedToThePeriod() throws {
        let path = try writeStore()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let period = try ReportPeriod.window(from: HandBuilt.at(30), to: HandBuilt.at(150))
        let breakdown = try SLAComputation(readers: [try StoreReader(directory: path)], period: period).breakdown(by: .hour)
        #expect(breakdown.buckets.map(\.period.from) == [HandBuilt.at(30), HandBuilt.at(60), HandBuilt.at(120)])
        #expect(breakdown.buckets.map(\.period.to) == [HandBuilt.at(60), HandBuilt.at(120), HandBuilt.at(150)])
    }
}
