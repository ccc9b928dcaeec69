import Foundation
import Testing

/// `ispwatch demo` end to end: the lab, the probe loop, alerting and the report in one process.
@Suite struct DemoCommandTests {
    /// The demo's `--json` summary, as far as the test reads it.
    struct Summary: Decodable {
        struct Fault: Decodable {
            var kind: String
            var services: [String]
            var startOffset: Double
            var endOffset: Double?
        }

        struct Incident: Decodable {
            var target: String
            var startOffset: Double
            var endOffset: Double?
            var dominantFailure: String?
        }

        struct Provider: Decodable {
            var id: String
            var scriptedFaults: [Fault]
            var availability: Double?
            var flapping: Bool
            var incidents: [Incident]
            var pagesSent: Int
            var resolvesSent: Int
        }

        var sliceSeconds: Double
        var providers: [Provider]
        var reportHtml: String

        func provider(_ id: String) throws -> Provider {
            try #require(providers.first { $0.id == id }, "no provider \(id) in the summary")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func shortDemoFindsTheScriptedOutageFlappingAndHealthyProviders() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("targets/demo.yaml").path
        let demo = try DemoProcess(
            ["demo", "--duration", "60s", "--no-serve", "--json", "--dir", directory.file("demo"), "--script", script],
            in: directory)
        let status = try await demo.exitStatus(within: .seconds(85))
        #expect(status == 0, "stderr:\n\(demo.standardError)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let summary = try decoder.decode(Summary.self, from: Data(demo.standardOutput.utf8))

        // The scripted outage of northwind's resolver: one incident, its start and end within a slice.
        let northwind = try summary.provider("northwind")
        let outage = try #require(northwind.scriptedFaults.first { $0.kind == "outage" })
        #expect(northwind.incidents.count == 1, "\(northwind.incidents)")
        let incident = try #require(northwind.incidents.first)
        #expect(incident.target == "northwind-dns")
        #expect(incident.dominantFailure == "dns_timeout")
        #expect(abs(incident.startOffset - outage.startOffset) <= summary.sliceSeconds,
                "incident starts at \(incident.startOffset) s, the outage at \(outage.startOffset) s")
        let incidentEnd = try #require(incident.endOffset, "the incident never closed")
        let outageEnd = try #require(outage.endOffset)
        #expect(abs(incidentEnd - outageEnd) <= summary.sliceSeconds, "incident ends at \(incidentEnd) s, the outage at \(outageEnd) s")
        #expect(northwind.pagesSent == 1 && northwind.resolvesSent == 1,
                "pages \(northwind.pagesSent), resolves \(northwind.resolvesSent)")

        #expect(try summary.provider("eastlink").flapping)
        #expect(try summary.provider("westvale").availability == 1.0)
        #expect(try summary.provider("westvale").incidents.isEmpty)
        #expect(try summary.provider("southgate").availability == 1.0)

        // Pages were printed as they arrived; the HTML report was written.
        #expect(demo.standardError.contains("PAGE FIRING TargetDown northwind/northwind-dns"))
        #expect(demo.standardError.contains("PAGE RESOLVED TargetDown northwind/northwind-dns"))
        let html = try String(contentsOfFile: summary.reportHtml, encoding: .utf8)
        #expect(html.contains("northwind"))
    }

    @Test func demoRefusesATimelineTooShortForAnIncident() throws {
        let run = try ISPWatchBinary.run(["demo", "--duration", "10s", "--no-serve"])
        #expect(run.status == 2)
        #expect(run.standardError.contains("--duration must be from 40s"))
    }
}
