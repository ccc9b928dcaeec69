import Foundation
import Testing

/// `ispwatch report --format csv|html` over a store made by `ispwatch synth`: the HTML page opened
/// in headless Chromium shows the same availability as the JSON report, and the CSV tables add up.
@Suite struct ReportFormatsTests {
    private static let window = ["--from", "2027-02-01T00:00+07:00", "--to", "2027-02-04T00:00+07:00"]

    /// Three days of 9 targets of 3 providers, one probe a minute.
    private func synthStore(in directory: TemporaryDirectory) throws -> String {
        let store = directory.file("store")
        let run = try ISPWatchBinary.run(
            ["synth", store, "--targets", "9", "--days", "3", "--interval", "60", "--providers", "3", "--seed", "7",
             "--start", "2027-02-01T00:00+07:00"], in: directory)
        #expect(run.status == 0, "\(run.standardError)")
        return store
    }

    /// `.build/test-artifacts`, kept after the test for people to look at.
    private static var artifactDirectory: String {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/test-artifacts").path
    }

    @Test func theHTMLReportRendersInHeadlessChromiumWithTheJSONReportsAvailability() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try synthStore(in: directory)
        // Names with markup, objectives and two maintenance windows (one declared in time, one late),
        // so that the page shows verdicts, the maintenance log and escaping as a browser renders them.
        try directory.write("sla.yaml", """
            providers:
              - {id: provider-0, name: "Zero <i>Telecom</i>"}
              - {id: provider-1, name: One Net}
              - {id: provider-2, name: Two & Co}
            objectives:
              - {id: zero-month, provider: provider-0, availability: 99.5%, period: month}
              - {id: one-strict, provider: provider-1, availability: 99.99%, period: month}
            maintenance:
              - {id: zero-core, providers: [provider-0], start: 2027-02-02T01:00+07:00, duration: 2h,
                 declared_at: 2027-01-20T10:00+07:00, declared_by: NOC, reason: "core swap, phase 1"}
              - {id: one-late, providers: [provider-1], start: 2027-02-03T02:00+07:00, duration: 1h,
                 declared_at: 2027-02-03T01:00+07:00}
            """)
        let config = ["--config", directory.file("sla.yaml")]
        let json = try ISPWatchBinary.run(
            ["report", "--data", store, "--group-by", "provider", "--format", "json"] + config + Self.window, in: directory)
        #expect(json.status == 0, "\(json.standardError)")
        let html = try ISPWatchBinary.run(
            ["report", "--data", store, "--group-by", "provider", "--format", "html", "--out", "report.html"] + config
                + Self.window,
            in: directory)
        #expect(html.status == 0, "\(html.standardError)")
        #expect(html.standardOutput.isEmpty, "--out writes the file, not stdout")

        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let groups = try #require(document["groups"] as? [[String: Any]])
        #expect(groups.count == 3)
        let url = URL(fileURLWithPath: directory.file("report.html")).absoluteString
        let dom = try HeadlessChromium.run(["--dump-dom"], url: url, in: directory)
        #expect(dom.contains("<h2>Methodology</h2>"), "chromium did not render the report: \(dom.prefix(300))")
        #expect(dom.contains("QCVN 34:2019/BTTTT"))
        #expect(dom.contains("not the provider's legal statistic"))
        for group in groups {
            let key = try #require(group["key"] as? [String: Any])
            let provider = try #require(key["provider"] as? String)
            let availability = try #require(group["availability"] as? [String: Any])
            // Foundation's JSON parser on Linux can lose the last digit of a double, so the figure is
            // taken as the JSON text writes it and checked against its own slice counts.
            let slices = try #require(availability["slices"] as? [String: Int])
            let counted = slices["up"]! - slices["up_in_maintenance"]! + slices["down"]! - slices["down_in_maintenance"]!
            let adjusted = Double(slices["up"]! - slices["up_in_maintenance"]!) / Double(counted)
            let name = ["provider-0": "Zero &lt;i&gt;Telecom&lt;/i&gt;", "provider-1": "One Net", "provider-2": "Two &amp; Co"][provider]!
            #expect(dom.contains("<h3>\(name) (\(provider))</h3>"), "\(provider) is not in the rendered page")
            // The provider's table, as Chromium serialised it: its group row carries the exact figure
            // and shows it to three decimals, as the JSON report gives it.
            let table = try #require(Self.section(of: dom, from: "data-provider=\"\(provider)\"", to: "</table>"))
            let value = try #require(Self.section(of: table, from: "class=\"num achieved\" data-value=\"", to: "\""))
            #expect(Double(value) == adjusted, "\(provider): HTML \(value), JSON slices give \(adjusted)")
            #expect(Self.occurrences(of: "\"adjusted\" : \(value),", in: json.standardOutput) >= 1,
                    "\(provider): the JSON report does not write the HTML's figure \(value)")
            #expect(table.contains(String(format: ">%.3f%%<", adjusted * 100)))
        }
        #expect(!dom.contains("<i>Telecom</i>"), "a provider name's markup must stay text")
        let objectives = try #require(document["objectives"] as? [[String: Any]])
        #expect(objectives.count == 2)
        for objective in objectives {
            let verdict = try #require(objective["verdict"] as? String)
            let row = try #require(Self.section(of: dom, from: "objective \(objective["id"]!)", to: "</tr>"))
            #expect(row.contains(">\(verdict)</td>"), "the page's verdict of \(objective["id"]!) differs from JSON's \(verdict)")
        }
        #expect(dom.contains("Maintenance log (2)"))
        #expect(dom.contains("core swap, phase 1"))
        #expect(dom.contains("LATE: downtime counted"))
        #expect(Self.occurrences(of: "<svg class=\"chart\"", in: dom) == 3 * 2 + 1)
        #expect(Self.occurrences(of: "class=\"bar ", in: dom) == 3 * 3, "3 providers × 3 days of bars")

        try FileManager.default.createDirectory(atPath: Self.artifactDirectory, withIntermediateDirectories: true)
        let screenshot = Self.artifactDirectory + "/report-html.png"
        try? FileManager.default.removeItem(atPath: screenshot)
        _ = try HeadlessChromium.run(["--hide-scrollbars", "--screenshot=\(screenshot)", "--window-size=1280,2000"], url: url,
                                     in: directory)
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "the screenshot is not a PNG")
        #expect(png.count > 50_000, "a 1280×2000 screenshot of the report is more than a blank page")
        try? FileManager.default.removeItem(atPath: Self.artifactDirectory + "/report.html")
        try FileManager.default.copyItem(atPath: directory.file("report.html"), toPath: Self.artifactDirectory + "/report.html")
        print("report screenshot: \(screenshot)")
    }

    @Test func theDailyCSVTableAddsUpToTheGroupsTable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try synthStore(in: directory)
        func table(_ name: String) throws -> [[String: String]] {
            let run = try ISPWatchBinary.run(
                ["report", "--data", store, "--format", "csv", "--table", name] + Self.window, in: directory)
            #expect(run.status == 0, "\(run.standardError)")
            let lines = run.standardOutput.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(!run.standardOutput.contains("\"\""), "synth names need no quoting")
            let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return lines.dropFirst().map { line in
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                #expect(fields.count == header.count, "\(name): \(line)")
                return Dictionary(uniqueKeysWithValues: zip(header, fields))
            }
        }
        let groups = try table("groups")
        let daily = try table("daily")
        #expect(groups.count == 6, "3 providers × 2 services")
        #expect(daily.count == groups.count * 3, "one row per group and day")
        for group in groups {
            let days = daily.filter { $0["provider"] == group["provider"] && $0["service"] == group["service"] }
            for column in ["slices_total", "slices_up", "slices_down", "slices_unknown", "probes", "failures", "latency_count"] {
                let sum = days.reduce(0) { $0 + Int($1[column] ?? "")! }
                #expect(sum == Int(group[column] ?? ""), "\(group["provider"]!)/\(group["service"]!) \(column)")
            }
        }
        let incidents = try table("incidents")
        #expect(incidents.count == groups.reduce(0) { $0 + Int($1["incidents"]!)! })
    }

    @Test func tableWithoutTheCSVFormatIsAUsageError() throws {
        let run = try ISPWatchBinary.run(["report", "--data", ".", "--table", "groups"] + Self.window)
        #expect(run.status == 2)
        #expect(run.standardError.contains("--table"))
    }

    private static func section(of text: String, from start: String, to end: String) -> String? {
        guard let lower = text.range(of: start) else { return nil }
        guard let upper = text.range(of: end, range: lower.upperBound..<text.endIndex) else { return nil }
        return String(text[lower.upperBound..<upper.lowerBound])
    }

    private static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}
