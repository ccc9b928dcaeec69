import Foundation
import SeriesStore
import Testing
import WatchCore

struct ImportBadRowsTests {
    static let good = [
        "2027-02-03T00:00:00.000Z,2027-02-03T00:00:00.000Z,dns-1,viettel,hanoi-1,v4,dns,true,,0,2154,,,,,,2101,",
        "2027-02-03T00:00:30.004Z,2027-02-03T00:00:30.000Z,dns-1,viettel,hanoi-1,v4,dns,false,dns_timeout,,5000000,,,,,,,",
        "2027-02-03T00:00:00.001Z,,portal-1,vnpt,hanoi-1,v6,http,true,,200,91000,100,2000,4000,80000,4900,,",
    ]
    /// Bad rows and the line each lands on, with what the report must say.
    static let bad = [
        "2027-02-03T00:01:00.000Z,,dns-1,viettel,hanoi-1,v5,dns,true,,0,2154,,,,,,2101,",
        "2027-02-03T00:01:00.000Z,,dns-1,viettel,hanoi-1,v4,dns,true,,0,12.5,,,,,,,",
        "not,a,row",
        "2027-02-03T00:01:00.000Z,,dns-1,mobifone,hanoi-1,v4,dns,true,,0,2154,,,,,,2101,",
    ]

    /// Header, good, bad, good, bad, bad, good, bad: bad rows on lines 3, 5, 6 and 8.
    static var mixedFile: String {
        ([ResultCSV.header, good[0], bad[0], good[1], bad[1], bad[2], good[2], bad[3]]).joined(separator: "\n") + "\n"
    }

    static let expectedReports = [
        "mixed.csv:3: ip_family: \"v5\" is not v4 or v6",
        "mixed.csv:5: latency_us: \"12.5\" is not a whole number",
        "mixed.csv:6: 3 fields, expected 18",
        "mixed.csv:8: provider: \"mobifone\" differs from line 2's \"viettel\" for series dns-1/hanoi-1/v4",
    ]

    @Test func rejectReportsEveryBadLineAndLeavesTheStoreEmpty() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("mixed.csv", Self.mixedFile)
        let run = try ISPWatchBinary.run(["import", "store", "mixed.csv"], in: directory)
        #expect(run.status == 1)
        for report in Self.expectedReports { #expect(run.standardError.contains(report), "\(run.standardError)") }
        #expect(run.standardError.contains("4 bad rows; nothing imported"))
        #expect(run.standardOutput.isEmpty)
        if FileManager.default.fileExists(atPath: directory.file("store")) {
            #expect(try SeriesStore.statistics(directory: directory.file("store")).results == 0)
        }
    }

    @Test func rejectIntoAnExistingStoreAddsNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("good.csv", ([ResultCSV.header] + Self.good).joined(separator: "\n") + "\n")
        #expect(try ISPWatchBinary.run(["import", "store", "good.csv"], in: directory).status == 0)
        try directory.write("mixed.csv", Self.mixedFile)
        let run = try ISPWatchBinary.run(["import", "store", "mixed.csv"], in: directory)
        #expect(run.status == 1)
        let statistics = try SeriesStore.statistics(directory: directory.file("store"))
        #expect(statistics.results == 3 && statistics.series == 2)
    }

    @Test func skipImportsTheGoodRowsReportsTheBadOnesAndExitsOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("mixed.csv", Self.mixedFile)
        let run = try ISPWatchBinary.run(["import", "store", "mixed.csv", "--on-error", "skip"], in: directory)
        #expect(run.status == 1)
        for report in Self.expectedReports { #expect(run.standardError.contains(report), "\(run.standardError)") }
        #expect(run.standardError.contains("skipped 4 bad rows"))
        #expect(run.standardOutput.contains("imported 3 results into 2 series (2 new)"))

        let export = try ISPWatchBinary.run(["export", "store"], in: directory)
        let expected = [ResultCSV.header, Self.good[0], Self.good[2], Self.good[1]].joined(separator: "\n") + "\n"
        #expect(export.standardOutput == expected)
        let series = try StoreReader(directory: directory.file("store")).series.values
        #expect(Set(series.map(\.metadata.provider)) == ["viettel", "vnpt"])
        #expect(Set(series.compactMap(\.metadata.kind)) == [.dns, .http])
    }

    @Test func aWrongHeaderImportsNothingAndNamesTheColumn() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("old.csv", "time,target,success\n" + Self.good[0] + "\n")
        let run = try ISPWatchBinary.run(["import", "store", "old.csv", "--on-error", "skip"], in: directory)
        #expect(run.status == 1)
        #expect(run.standardError.contains("old.csv:1: header column 2 is \"target\", expected \"scheduled\""))
    }
}
