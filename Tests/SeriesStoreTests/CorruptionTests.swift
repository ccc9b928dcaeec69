import Foundation
import Testing
import WatchCore
@testable import SeriesStore

@Suite struct CorruptionTests {
    /// A store with three sealed files, a flushed active segment and the results they hold.
    private struct Fixture {
        let directory: TemporaryDirectory
        let pristine: [String: Data]
        let sealedResults: [String: [StoredResult]]
        let activeResults: [StoredResult]
        let blocks: [String: [BlockSummary]]

        func restore() throws {
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
                try FileManager.default.removeItem(atPath: "\(directory.path)/\(name)")
            }
            for (path, data) in pristine { try data.write(to: URL(fileURLWithPath: path)) }
        }
    }

    private func makeFixture() throws -> Fixture {
        let directory = TemporaryDirectory("corruption")
        let writer = try StoreWriter(directory: directory.path, options: testOptions(blockCapacity: 64))
        let history = SyntheticHistory(.init(targets: 12, startMillis: 1_800_000_000_000, slotsPerTarget: 600))
        let ids = try history.series().map { try writer.register($0.key, metadata: $0.metadata) }
        var all: [StoredResult] = []
        history.forEachResult(seriesIDs: ids) { all.append($0) }
        let parts = 4
        let size = all.count / parts
        var sealedResults: [String: [StoredResult]] = [:]
        for part in 0..<parts {
            let slice = Array(all[(part * size)..<((part + 1) * size)])
            try writer.append(contentsOf: slice)
            if part < parts - 1 {
                try writer.sealActiveSegment()
                let report = try writer.sealPendingSegments()[0]
                sealedResults[StoreLayout(directory: directory.path).sealedPath(report.sequence)] = slice
            }
        }
        try writer.flush()
        try writer.close()
        var pristine: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let path = "\(directory.path)/\(name)"
            pristine[path] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        let summaries = try StoreReader(directory: directory.path).blockSummaries().summaries
        return Fixture(directory: directory, pristine: pristine, sealedResults: sealedResults,
                       activeResults: Array(all[(3 * size)..<(4 * size)]), blocks: Dictionary(grouping: summaries, by: \.path))
    }

    private enum Damage: CaseIterable {
        case byteFlips, truncation, zeroedPage
    }

    /// Damages `path` and returns the damaged byte ranges.
    private func damage(_ path: String, _ kind: Damage, _ random: inout SplitMix64) throws -> [Range<Int>] {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var ranges: [Range<Int>] = []
        switch kind {
        case .byteFlips:
            for _ in 0..<(1 + Int(random.next() % 6)) {
                let position = Int(random.next() % UInt64(bytes.count))
                bytes[position] ^= UInt8(1 + random.next() % 255)
                ranges.append(position..<(position + 1))
            }
        case .truncation:
            let cut = Int(random.next() % UInt64(bytes.count))
            ranges.append(cut..<bytes.count)
            bytes.removeLast(bytes.count - cut)
        case .zeroedPage:
            let page = Int(random.next() % UInt64((bytes.count + 4095) / 4096)) * 4096
            let end = min(page + 4096, bytes.count)
            guard bytes[page..<end].contains(where: { $0 != 0 }) else { return [] }
            for index in page..<end { bytes[index] = 0 }
            ranges.append(page..<end)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return ranges
    }

    @Test func verifyNamesDamageAndReadersKeepEveryUndamagedBlock() throws {
        let fixture = try makeFixture()
        let activeSet = Set(fixture.activeResults)
        defer { fixture.directory.remove() }
        #expect(try SeriesStore.verify(directory: fixture.directory.path).isEmpty)
        var random = SplitMix64(seed: 99)
        let files = fixture.pristine.keys.sorted()
        for round in 0..<300 {
            try fixture.restore()
            let path = files[round % files.count]
            let kind = Damage.allCases[Int(random.next() % 3)]
            let ranges = try damage(path, kind, &random)
            guard !ranges.isEmpty else { continue }
            let context = "round \(round): \(kind) in \(path) at \(ranges)"

            let damages = try SeriesStore.verify(directory: fixture.directory.path)
            let reader: StoreReader
            do {
                reader = try StoreReader(directory: fixture.directory.path)
            } catch {
                // Only a damaged series-index header makes the store unopenable, and verify says so.
                #expect(path.hasSuffix("series.index"), "\(context): \(error)")
                #expect(damages.contains { $0.path == path }, "\(context)")
                continue
            }
            var output: [StoredResult] = []
            let report = try reader.scan(onCorruption: .skip) { output.append($0) }
            // The columnar path (which skips the index's sketches) sees the same sealed results.
            let columnar = try reader.scanSealedBlocks(onCorruption: .skip) { _ in }
            #expect(columnar.results == output.count - output.filter { activeSet.contains($0) }.count,
                    "\(context): block scan and row scan disagree")

            if path.hasSuffix(".sealed") {
                #expect(damages.contains { $0.path == path }, "verify missed \(context)")
                #expect(report.damages.contains { $0.path == path }, "the reader missed \(context)")
                // Every block the damage does not touch is still read, bit for bit.
                let got = bySeries(output)
                for block in fixture.blocks[path] ?? [] {
                    let span = block.offset..<(block.offset + block.length)
                    guard !ranges.contains(where: { $0.overlaps(span) }) else { continue }
                    let expected = bySeries(fixture.sealedResults[path]!)[block.series]!
                    let position = (block.blockNumber - (fixture.blocks[path]!.firstIndex { $0.series == block.series }!))
                    let blockResults = Array(expected[(position * 64)..<min(position * 64 + block.count, expected.count)])
                    let seriesOutput = got[block.series] ?? []
                    #expect(seriesOutput.contains(blockResults.first!) && seriesOutput.contains(blockResults.last!),
                            "\(context): undamaged block \(block.blockNumber) lost")
                }
            } else if path.hasSuffix(".wal") {
                // An active segment keeps every record before the damage.
                let active = output.filter { activeSet.contains($0) }
                #expect(Array(fixture.activeResults.prefix(active.count)) == active, "\(context): not a prefix")
                let firstDamaged = ranges.map(\.lowerBound).min()!
                if firstDamaged < FileHeader.length {
                    #expect(active.isEmpty && damages.contains { $0.path == path && $0.kind == .fileHeader }, "\(context)")
                } else if active.count < fixture.activeResults.count, kind != .truncation {
                    #expect(damages.contains { $0.path == path }, "verify missed \(context)")
                }
            } else {
                #expect(damages.contains { $0.path == path } || reader.series.count < 12, "\(context)")
            }
            // Sealed files other than the damaged one read completely.
            for (sealedPath, results) in fixture.sealedResults where sealedPath != path {
                let got = bySeries(output)
                for (series, expected) in bySeries(results) {
                    #expect(got[series].map { Set($0).isSuperset(of: expected) } ?? false, "\(context): \(sealedPath) damaged too")
                }
            }
        }
    }

    @Test func hostileBlockPayloadsThrowAndNeverCrashTheDecoder() throws {
        let history = SyntheticHistory(.init(targets: 2, startMillis: 1_800_000_000_000, slotsPerTarget: 300))
        var results: [StoredResult] = []
        history.forEachResult(seriesIDs: [0, 1]) { if $0.series == 0 { results.append($0) } }
        var writer = ByteWriter()
        BlockEncoder.encodePayload(results[...], into: &writer)
        let good = writer.bytes
        var block = DecodedBlock()
        try good.withUnsafeBytes { try block.decode(payload: $0, series: 0, count: results.count) }
        #expect(block.results == results)
        var random = SplitMix64(seed: 5)
        var rejected = 0
        for _ in 0..<6_000 {
            var bytes = good
            for _ in 0..<(1 + Int(random.next() % 4)) {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            if random.next() % 4 == 0 { bytes.removeLast(Int(random.next() % UInt64(bytes.count))) }
            // Mostly the true count; sometimes a wrong one, rarely the largest a header allows.
            let count = switch random.next() % 64 {
            case 0: SealedLayout.maximumBlockCount
            case 1..<8: Int(random.next() % 2_000)
            default: results.count
            }
            do {
                try bytes.withUnsafeBytes { try block.decode(payload: $0, series: 0, count: count) }
            } catch {
                rejected += 1
            }
        }
        #expect(rejected > 600)
    }

    @Test func garbageFilesAreReportedNotFatal() throws {
        let directory = TemporaryDirectory("garbage")
        defer { directory.remove() }
        do {
            let writer = try StoreWriter(directory: directory.path, options: testOptions())
            try writer.close()
        }
        var random = SplitMix64(seed: 3)
        for index in 0..<40 {
            let bytes = (0..<Int(random.next() % 9_000)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let layout = StoreLayout(directory: directory.path)
            let path = index % 2 == 0 ? layout.sealedPath(UInt64(100 + index)) : layout.activePath(UInt64(100 + index))
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let damages = try SeriesStore.verify(directory: directory.path)
            #expect(damages.contains { $0.path == path })
            let report = try StoreReader(directory: directory.path).scan(onCorruption: .skip) { _ in }
            #expect(report.results == 0)
            #expect(throws: StoreError.self) { try StoreReader(directory: directory.path).scan(onCorruption: .fail) { _ in } }
            try FileManager.default.removeItem(atPath: path)
        }
    }

    @Test func reopeningCutsATornActiveTailAndSaysHowMuch() throws {
        let directory = TemporaryDirectory("torn")
        defer { directory.remove() }
        let results = edgeCaseResults(series: [0], count: 1_000, seed: 8)
        var activePath = ""
        do {
            let writer = try StoreWriter(directory: directory.path, options: testOptions())
            _ = try writer.register(SeriesKey(target: "t", vantage: "v", family: .v4))
            try writer.append(contentsOf: results)
            try writer.close()
            activePath = directory.files(withSuffix: ".wal")[0]
        }
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: activePath))
        let length = try handle.seekToEnd()
        try handle.truncate(atOffset: length - 7)
        try handle.close()
        let writer = try StoreWriter(directory: directory.path, options: testOptions())
        #expect(writer.recovery.droppedBytes > 0)
        #expect(writer.recovery.dropReason == "truncated")
        #expect(writer.recovery.recoveredRecords == results.count - 1)
        try writer.close()
        #expect(try StoreReader(directory: directory.path).results() == Array(results.dropLast()))
        #expect(try SeriesStore.verify(directory: directory.path).isEmpty)
    }
}
