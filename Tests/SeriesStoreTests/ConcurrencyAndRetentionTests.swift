import Foundation
import Synchronization
import Testing
import WatchCore
@testable import SeriesStore

@Suite struct ConcurrencyAndRetentionTests {
    @Test func readersSeeEveryFlushedResultWhileTheWriterAppendsAndSealsInTheBackground() throws {
        let directory = TemporaryDirectory("concurrent")
        defer { directory.remove() }
        var options = testOptions(background: true, blockCapacity: 100)
        options.maximumSegmentBytes = 64 << 10
        options.flushInterval = .milliseconds(5)
        let writer = try StoreWriter(directory: directory.path, options: options)
        let ids = try (0..<NumberedResults.seriesCount).map {
            try writer.register(SeriesKey(target: TargetID("c\($0)"), vantage: "v", family: .v4))
        }
        let total = 60_000
        let expected = (0..<total).map { NumberedResults.result(at: $0, seed: 7, seriesIDs: ids) }
        let expectedBySeries = bySeries(expected)
        let flushed = Atomic<Int>(0)
        let done = Atomic<Bool>(false)
        let appender = Thread {
            var next = 0
            while next < total {
                let end = min(next + 997, total)
                try! writer.append(contentsOf: expected[next..<end])
                next = end
                if next % 3 == 0 { flushed.store(Int(try! writer.flush()), ordering: .releasing) }
            }
            flushed.store(Int(try! writer.flush()), ordering: .releasing)
            done.store(true, ordering: .releasing)
        }
        appender.start()
        var scans = 0
        var previous = 0
        while !done.load(ordering: .acquiring) || scans < 3 {
            let floor = flushed.load(ordering: .acquiring)
            let results = try StoreReader(directory: directory.path).results(onCorruption: .fail)
            #expect(results.count >= floor, "a reader missed flushed results: \(results.count) < \(floor)")
            #expect(results.count >= previous)
            for (series, got) in bySeries(results) {
                #expect(Array(expectedBySeries[series]!.prefix(got.count)) == got, "series \(series) is not a prefix")
            }
            previous = results.count
            scans += 1
        }
        try writer.sealActiveSegment()
        try writer.sealPendingSegments()
        #expect(writer.backgroundError == nil)
        try writer.close()
        #expect(directory.files(withSuffix: ".sealed").count > 3, "the background thread should have sealed segments")
        let final = try StoreReader(directory: directory.path).results()
        #expect(bySeries(final) == expectedBySeries)
        #expect(try SeriesStore.verify(directory: directory.path).isEmpty)
        let statistics = try SeriesStore.statistics(directory: directory.path)
        #expect(statistics.results == total && statistics.activeResults == 0)
    }

    @Test func retentionDeletesOnlySealedFilesWhollyOlderThanTheCutoff() throws {
        let directory = TemporaryDirectory("retention")
        defer { directory.remove() }
        let writer = try StoreWriter(directory: directory.path, options: testOptions())
        let series = try writer.register(SeriesKey(target: "r", vantage: "v", family: .v4))
        let day: Int64 = 86_400_000
        let base: Int64 = 1_800_000_000_000
        for dayIndex in 0..<3 {
            let results = (0..<100).map { slot in
                StoredResult(series: series, scheduledMillis: base + Int64(dayIndex) * day + Int64(slot) * 30_000,
                             startMillis: base + Int64(dayIndex) * day + Int64(slot) * 30_000 + 3, success: true,
                             failure: nil, code: 0, latencyMicros: 1_000)
            }
            try writer.append(contentsOf: results)
            try writer.sealActiveSegment()
        }
        // Some results of the newest day stay in the active segment: never deleted.
        try writer.append(StoredResult(series: series, scheduledMillis: nil, startMillis: base, success: true,
                                       failure: nil, code: nil, latencyMicros: 5))
        try writer.flush()
        try writer.sealPendingSegments()
        // The second day's last result starts before base + 2 days; its file goes too.
        let deleted = try SeriesStore.applyRetention(directory: directory.path, olderThanMillis: base + 2 * day)
        #expect(deleted.count == 2)
        let remaining = try StoreReader(directory: directory.path).results()
        #expect(remaining.count == 101)
        #expect(remaining.filter { $0.startMillis >= base + 2 * day }.count == 100)
        #expect(try SeriesStore.applyRetention(directory: directory.path, olderThanMillis: base + 2 * day).isEmpty)
        try writer.close()
    }
}

@Suite struct WriterLifecycleTests {
    @Test func aWriterDroppedWithoutCloseKeepsWhatItFlushedAndFreesTheStore() throws {
        let directory = TemporaryDirectory("dropped")
        defer { directory.remove() }
        let results = edgeCaseResults(series: [0], count: 300, seed: 4)
        do {
            let writer = try StoreWriter(directory: directory.path, options: testOptions(background: true))
            _ = try writer.register(SeriesKey(target: "d", vantage: "v", family: .v4))
            try writer.append(contentsOf: results)
            try writer.flush()
            try writer.append(contentsOf: results)  // never flushed: lost, as after a crash
        }
        let reopened = try StoreWriter(directory: directory.path, options: testOptions())
        #expect(reopened.recovery.recoveredRecords == results.count)
        try reopened.close()
        #expect(try StoreReader(directory: directory.path).results() == results)
    }
}
