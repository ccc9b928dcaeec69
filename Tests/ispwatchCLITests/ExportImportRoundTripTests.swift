import Foundation
import SeriesStore
import Testing
import WatchCore

struct ExportImportRoundTripTests {
    static let synthArguments = ["--targets", "5", "--days", "1", "--interval", "30", "--seed", "7",
                                 "--start", "2027-02-03T00:00Z"]

    @Test func synthThenExportThenImportThenExportIsByteIdentical() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let synth = try ISPWatchBinary.run(["synth", "original"] + Self.synthArguments, in: directory)
        #expect(synth.status == 0, "\(synth.standardError)")
        let first = try ISPWatchBinary.run(["export", "original", "--out", "first.csv"], in: directory)
        #expect(first.status == 0, "\(first.standardError)")
        let imported = try ISPWatchBinary.run(["import", "copy", "first.csv"], in: directory)
        #expect(imported.status == 0, "\(imported.standardError)")
        #expect(imported.standardOutput.contains("imported 14,400 results into 5 series"))
        let second = try ISPWatchBinary.run(["export", "copy"], in: directory)
        #expect(second.status == 0, "\(second.standardError)")

        let firstText = try directory.read("first.csv")
        #expect(firstText == second.standardOutput)
        let lines = firstText.split(separator: "\n")
        #expect(lines.count == 1 + 5 * 2_880)
        #expect(lines.first.map(String.init) == ResultCSV.header)
        // Failures and every phase column occur, so the round trip covers them.
        #expect(lines.contains { $0.contains(",false,") })
        #expect(lines.contains { $0.hasSuffix(",") } && lines.contains { $0.contains(",200,") })

        let ndjsonFirst = try ISPWatchBinary.run(["export", "original", "--format", "ndjson"], in: directory)
        let ndjsonSecond = try ISPWatchBinary.run(["export", "copy", "--format", "ndjson"], in: directory)
        #expect(ndjsonFirst.status == 0 && ndjsonFirst.standardOutput == ndjsonSecond.standardOutput)
        #expect(ndjsonFirst.standardOutput.split(separator: "\n").count == 5 * 2_880)
    }

    @Test func importOfShuffledRowsExportsTheSameBytes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try ISPWatchBinary.run(["synth", "original"] + Self.synthArguments, in: directory)
        let original = try ISPWatchBinary.run(["export", "original"], in: directory)
        var lines = original.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let header = lines.removeFirst()
        var random = SplitMix64(seed: 3)
        try directory.write("shuffled.csv", ([header] + lines.shuffled(using: &random)).joined(separator: "\n") + "\n")
        let imported = try ISPWatchBinary.run(["import", "copy", "shuffled.csv"], in: directory)
        #expect(imported.status == 0, "\(imported.standardError)")
        let copy = try ISPWatchBinary.run(["export", "copy"], in: directory)
        #expect(copy.standardOutput == original.standardOutput)
    }

    @Test func fromAndToSelectAHalfOpenRangeGivenWithOffsets() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try ISPWatchBinary.run(["synth", "store"] + Self.synthArguments, in: directory)
        // 01:00Z to 02:00Z, written in two other offsets.
        let export = try ISPWatchBinary.run(
            ["export", "store", "--from", "2027-02-03T08:00+07:00", "--to", "2027-02-02T21:00-05:00"], in: directory)
        #expect(export.status == 0, "\(export.standardError)")
        let rows = export.standardOutput.split(separator: "\n").dropFirst()
        let from = try #require(Timestamp(rfc3339: "2027-02-03T01:00Z"))
        let to = try #require(Timestamp(rfc3339: "2027-02-03T02:00Z"))
        let times = try rows.map { row in try #require(Timestamp(rfc3339: String(row.prefix { $0 != "," }))) }
        #expect(times.allSatisfy { $0 >= from && $0 < to })
        #expect(times == times.sorted())
        // 120 slots an hour per target; a result scheduled just before 01:00 may start after it.
        #expect((595...605).contains(rows.count))
    }
}
