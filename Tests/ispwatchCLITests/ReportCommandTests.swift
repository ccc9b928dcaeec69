import Foundation
import SeriesStore
import Testing
import WatchCore

/// `ispwatch report` on a store written with `StoreWriter`: one DNS target from one vantage, an
/// hour from 2027-02-01T00:00+07:00, SERVFAIL in minutes 10–19.
@Suite struct ReportCommandTests {
    private static let startMillis: Int64 = 1_801_414_800_000   // 2027-02-01T00:00+07:00

    private func writeStore(in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("store")
        var options = StoreOptions()
        options.syncOnFlush = false
        options.sealsInBackground = false
        let writer = try StoreWriter(directory: path, options: options)
        let series = try writer.register(
            SeriesKey(target: TargetID("vnpt-dns-hn-1"), vantage: "hanoi-1", family: .v4),
            metadata: SeriesMetadata(provider: "vnpt", service: "dns", kind: .dns, region: "hanoi"))
        for minute in 0..<60 {
            for probe in 0..<2 {
                let failed = (10..<20).contains(minute)
                try writer.append(StoredResult(
                    series: series, scheduledMillis: nil,
                    startMillis: Self.startMillis + Int64(minute) * 60_000 + Int64(probe) * 30_000, success: !failed,
                    failure: failed ? .dnsServfail : nil, code: failed ? 2 : 0, latencyMicros: 12_000))
            }
        }
        try writer.close()
        try directory.write("sla.yaml", """
            providers: [{id: vnpt, name: VNPT}]
            objectives:
              - {id: vnpt-dns, provider: vnpt, service: dns, availability: 99.5%, period: day}
            """)
        return path
    }

    private var window: [String] { ["--from", "2027-02-01T00:00+07:00", "--to", "2027-02-01T01:00+07:00"] }

    @Test func theTextReportShowsTheObjectiveVerdictDowntimeAndIncident() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try writeStore(in: directory)
        let run = try ISPWatchBinary.run(["report", "--data", store, "--config", directory.file("sla.yaml")] + window, in: directory)
        #expect(run.status == 0, "\(run.standardError)")
        let text = run.standardOutput
        #expect(text.contains("VNPT (vnpt)"))
        let objectiveRow = try #require(text.split(separator: "\n").first { $0.contains("objective vnpt-dns") })
        #expect(objectiveRow.contains("99.50%"))
        #expect(objectiveRow.contains("83.333%"))
        #expect(objectiveRow.contains("FAIL"))
        #expect(objectiveRow.contains("10m"))
        #expect(objectiveRow.contains("12.0ms"))
        #expect(text.contains("vnpt-dns-hn-1/v4"))
        #expect(text.contains("02-01 00:10 02-01 00:20"))
        #expect(text.contains("dns_servfail 2"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }

    @Test func theJSONReportCarriesEveryFigureAndTheIncidentRegister() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try writeStore(in: directory)
        let run = try ISPWatchBinary.run(
            ["report", "--data", store, "--config", directory.file("sla.yaml"), "--format", "json", "--out", "r.json"] + window,
            in: directory)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(directory.read("r.json").utf8)) as? [String: Any])
        let groups = try #require(document["groups"] as? [[String: Any]])
        let availability = try #require(groups.first?["availability"] as? [String: Any])
        #expect(availability["raw"] as? Double == 50.0 / 60.0)
        #expect(availability["downtime_seconds"] as? Double == 600)
        let incidents = try #require(document["incidents"] as? [[String: Any]])
        #expect(incidents.count == 1)
        #expect(incidents.first?["id"] as? String == "vnpt-dns-hn-1/v4/20270131T1710Z")
        #expect(incidents.first?["dominant_failure"] as? String == "dns_servfail")
        #expect(incidents.first?["dominant_code"] as? Int == 2)
        let objectives = try #require(document["objectives"] as? [[String: Any]])
        #expect(objectives.first?["verdict"] as? String == "FAIL")
        #expect(objectives.first?["budget_seconds"] as? Double == 18)   // 0.5 % of 60 min
    }

    @Test(arguments: [
        ["report", "--from", "2027-02-01T00:00Z", "--to", "2027-02-02T00:00Z"],
        ["report", "--data", ".", "--period", "month", "--from", "2027-02-01T00:00Z", "--to", "2027-02-02T00:00Z"],
        ["report", "--data", ".", "--from", "2027-02-02T00:00Z", "--to", "2027-02-01T00:00Z"],
        ["report", "--data", ".", "--period", "month", "--group-by", "provder"],
        ["report", "--data", ".", "--period", "month", "--timezone", "Asia/Hanoi City"],
        ["report", "--data", "no-such-dir", "--period", "month"],
    ])
    func usageErrorsExitTwo(arguments: [String]) throws {
        let run = try ISPWatchBinary.run(arguments)
        #expect(run.status == 2, "\(run.standardError)")
        #expect(!run.standardError.isEmpty)
    }
}
