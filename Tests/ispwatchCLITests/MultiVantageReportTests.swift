import Foundation
import Testing
import WatchCore

/// `ispwatch report` over three vantages' stores, built with `ispwatch import` from results chosen
/// by hand, so every figure below is computed from the rows, not read from a previous run.
///
/// One target (`portal` of provider `lab`, HTTP, v4), ten 1-minute slices from 08:00 UTC, two
/// probes per slice and vantage (at :00 and :30). `D` is a slice with both probes failed, `U` both
/// succeeded, `-` no probe:
///
/// ```
/// slice      0 1 2 3 4 5 6 7 8 9
/// vantage a  U U D D D D U U - U
/// vantage b  U U U D D D D - - U
/// vantage c  U U U U D U U - D -
/// DOWN seen  0 0 1 2 3 2 1 0 1 0   (reporting: 3 3 3 3 3 3 3 1 1 2)
/// ```
///
/// A slice is DOWN when at least min(Q, reporting) vantages see it DOWN (docs/SLA.md):
/// Q = 1 → slices 2–6 and 8, 6 DOWN, availability 4/10; Q = 2 → slices 3, 4, 5 and 8 (the only
/// reporting vantage), 4 DOWN, availability 6/10; Q = 3 → slices 4 and 8, availability 8/10.
@Suite(.serialized) struct MultiVantageReportTests {
    static let start = "2027-01-15T08:00:00.000Z"
    static let end = "2027-01-15T08:10:00.000Z"
    static let patterns = [
        "a": "UUDDDDUU-U",
        "b": "UUUDDDD--U",
        "c": "UUUUDUU-D-",
    ]

    /// The CSV rows of vantage `vantage`, in `ispwatch export`'s columns.
    static func rows(vantage: String) -> String {
        var lines = ["time,scheduled,target,provider,vantage,ip_family,kind,success,reason,code,latency_us,"
                     + "resolve_us,connect_us,tls_us,processing_us,transfer_us,request_us,rtt_us"]
        for (slice, state) in patterns[vantage]!.enumerated() where state != "-" {
            for second in [0, 30] {
                let time = String(format: "2027-01-15T08:%02d:%02d.000Z", slice, second)
                lines.append(state == "U"
                    ? "\(time),\(time),portal,lab,\(vantage),v4,http,true,,200,12000,,,,,,,"
                    : "\(time),\(time),portal,lab,\(vantage),v4,http,false,tcp_refused,,1000,,,,,,,")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Three stores, one per vantage, under `directory`.
    static func makeStores(in directory: TemporaryDirectory) throws {
        for vantage in ["a", "b", "c"] {
            try directory.write("\(vantage).csv", rows(vantage: vantage))
            let imported = try ISPWatchBinary.run(["import", "store-\(vantage)", "\(vantage).csv"], in: directory)
            #expect(imported.status == 0, "\(imported.standardError)")
        }
    }

    static func report(_ extra: [String], stores: [String] = ["store-a", "store-b", "store-c"], in directory: TemporaryDirectory)
        throws -> CommandRun
    {
        try ISPWatchBinary.run(
            ["report"] + stores.flatMap { ["--data", $0] } + ["--from", start, "--to", end, "--timezone", "UTC"] + extra,
            in: directory)
    }

    static func json(_ run: CommandRun) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
    }

    @Test(arguments: [(1, 6), (2, 4), (3, 2)])
    func theQuorumOfThreeStoresGivesTheHandComputedDownSlices(quorum: Int, downSlices: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.makeStores(in: directory)
        let run = try Self.report(["--quorum", "\(quorum)", "--format", "json"], in: directory)
        #expect(run.status == 0, "\(run.standardError)")
        let document = try Self.json(run)
        let groups = try #require(document["groups"] as? [[String: Any]])
        #expect(groups.count == 1)
        let availability = try #require(groups.first?["availability"] as? [String: Any])
        let slices = try #require(availability["slices"] as? [String: Any])
        #expect(slices["total"] as? Int == 10)
        #expect(slices["down"] as? Int == downSlices)
        #expect(slices["up"] as? Int == 10 - downSlices)
        #expect(slices["unknown"] as? Int == 0)
        #expect(availability["raw"] as? Double == Double(10 - downSlices) / 10)
    }

    @Test func theReportListsEveryStoreWithItsVantageSpanAndCoverage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.makeStores(in: directory)
        let document = try Self.json(try Self.report(["--format", "json"], in: directory))
        let stores = try #require(document["stores"] as? [[String: Any]])
        #expect(stores.map { $0["path"] as? String } == ["store-a", "store-b", "store-c"])
        #expect(stores.map { $0["vantages"] as? [String] } == [["a"], ["b"], ["c"]])
        #expect(stores.map { $0["series"] as? Int } == [1, 1, 1])
        // Two probes per measured slice: a measured 9 slices, b and c 8.
        #expect(stores.map { $0["results"] as? Int } == [18, 16, 16])
        #expect(stores.map { $0["first_result"] as? String } == [Self.start, Self.start, Self.start])
        #expect(stores.map { $0["last_result"] as? String }
                == ["2027-01-15T08:09:30.000Z", "2027-01-15T08:09:30.000Z", "2027-01-15T08:08:30.000Z"])
        #expect(stores.map { $0["coverage"] as? Double } == [0.9, 0.8, 0.8])

        let text = try Self.report(["--format", "text"], in: directory).standardOutput
        #expect(text.contains("Stores (3)"), "\(text)")
        let inventoryLine = try #require(text.split(separator: "\n").first { $0.hasSuffix("store-a") })
        #expect(inventoryLine.contains("18") && inventoryLine.contains("90.0%"), "\(inventoryLine)")

        let csv = try Self.report(["--format", "csv", "--table", "stores"], in: directory).standardOutput
        let lines = csv.split(whereSeparator: \.isNewline)
        #expect(lines.first == "path,vantages,series,results,first_result,last_result,coverage")
        #expect(lines.dropFirst().map { $0.split(separator: ",").first.map(String.init) } == ["store-a", "store-b", "store-c"])
        #expect(lines.dropFirst().first?.hasSuffix(",0.9") == true, "\(csv)")

        let html = try Self.report(["--format", "html"], in: directory).standardOutput
        #expect(html.contains("<h2>Stores read</h2>"))
        #expect(html.contains("<td>store-c</td>"))
    }

    @Test func aSingleStoreReportHasNoInventory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.makeStores(in: directory)
        let json = try Self.json(try Self.report(["--format", "json"], stores: ["store-a"], in: directory))
        #expect(json["stores"] == nil)
        let text = try Self.report(["--format", "text"], stores: ["store-a"], in: directory).standardOutput
        #expect(!text.contains("Stores ("))
        let html = try Self.report(["--format", "html"], stores: ["store-a"], in: directory).standardOutput
        #expect(!html.contains("Stores read"))
    }

    @Test func theSameSeriesInTwoStoresIsRefusedNamingBoth() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.makeStores(in: directory)
        try FileManager.default.copyItem(atPath: directory.file("store-a"), toPath: directory.file("copy-of-a"))
        let run = try Self.report(["--format", "json"], stores: ["store-a", "store-b", "copy-of-a"], in: directory)
        #expect(run.status == 2)
        #expect(run.standardOutput.isEmpty)
        #expect(run.standardError.contains("portal/a/v4"), "\(run.standardError)")
        #expect(run.standardError.contains("store-a") && run.standardError.contains("copy-of-a"), "\(run.standardError)")
    }

    @Test func reportingLeavesEveryStoreFileUnchanged() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.makeStores(in: directory)
        let before = try Self.snapshot(directory)
        for format in ["text", "json", "html"] {
            #expect(try Self.report(["--format", format], in: directory).status == 0)
        }
        #expect(try Self.snapshot(directory) == before)
    }

    @Test func copiesOfTheSealedSegmentsAndTheIndexGiveTheSameFigures() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.makeStores(in: directory)
        // What docs/OPERATIONS.md tells operators to copy: sealed files first, then the series index.
        for store in ["store-a", "store-b", "store-c"] {
            let copy = directory.file("copy-" + store)
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
            let sealed = try FileManager.default.contentsOfDirectory(atPath: directory.file(store)).filter { $0.hasSuffix(".sealed") }
            #expect(!sealed.isEmpty, "ispwatch import left \(store) without a sealed segment")
            for name in sealed + ["series.index"] {
                try FileManager.default.copyItem(atPath: directory.file(store) + "/" + name, toPath: copy + "/" + name)
            }
        }
        let original = try Self.json(try Self.report(["--format", "json"], in: directory))
        let copied = try Self.json(try Self.report(
            ["--format", "json"], stores: ["copy-store-a", "copy-store-b", "copy-store-c"], in: directory))
        #expect(NSDictionary(dictionary: original["groups"].map { ["groups": $0] } ?? [:])
                == NSDictionary(dictionary: copied["groups"].map { ["groups": $0] } ?? [:]))
        let stores = try #require(copied["stores"] as? [[String: Any]])
        #expect(stores.map { $0["results"] as? Int } == [18, 16, 16])
    }

    /// Every file of the three stores with its size, modification time and bytes.
    private static func snapshot(_ directory: TemporaryDirectory) throws -> [String: String] {
        var files: [String: String] = [:]
        for store in ["store-a", "store-b", "store-c"] {
            let root = directory.file(store)
            for name in try FileManager.default.subpathsOfDirectory(atPath: root) {
                let path = root + "/" + name
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                let bytes = FileManager.default.contents(atPath: path) ?? Data()
                files["\(store)/\(name)"] = "\(attributes[.size] ?? 0) \(attributes[.modificationDate] ?? "") \(bytes.hashValue)"
            }
        }
        return files
    }
}
