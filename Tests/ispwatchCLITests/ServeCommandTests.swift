import Foundation
import Testing
import WatchCore

/// `ispwatch serve` as users run it: a real process over a synthetic store, read by curl and by
/// headless Chromium, whose rendered DOM must carry the providers and the API's figures.
@Suite(.serialized) struct ServeCommandTests {
    @Test func theStatusPageRendersInChromiumWithTheFiguresOfTheAPI() throws {
        let fixture = try ServeFixture()
        defer { fixture.directory.remove() }
        let (serve, port) = try fixture.startServe()
        defer { serve.send(SIGTERM); _ = try? serve.waitForExit() }

        let url = "http://127.0.0.1:\(port)/?lang=vi&access_token=\(ServeFixture.adminToken)"
        let dom = try HeadlessChromium.run([ServeFixture.loopbackOnly, "--dump-dom"], url: url, in: fixture.directory)
        let screenshot = ServeFixture.artifactPath("serve-status-page.png")
        _ = try HeadlessChromium.run([ServeFixture.loopbackOnly, "--screenshot=\(screenshot)", "--window-size=1200,1400"], url: url, in: fixture.directory)
        #expect(FileManager.default.fileExists(atPath: screenshot))

        for name in ServeFixture.names.values { #expect(dom.contains(name), "the page lacks \(name)") }
        // The period the page shows, and each provider's figure, against /api/v1/sla for that period.
        let from = try #require(Self.attribute("data-from", in: dom))
        let to = try #require(Self.attribute("data-to", in: dom))
        let api = try ServeClient.json(port: port, "/api/v1/sla?from=\(from)&to=\(to)&group_by=provider",
                                       token: ServeFixture.adminToken, in: fixture.directory)
        let rows = try #require(api["rows"] as? [[String: Any]])
        #expect(rows.count == 2)
        for row in rows {
            let provider = try #require(row["group"] as? String)
            let availability = try #require(row["availability"] as? Double)
            let section = try #require(Self.section(of: provider, in: dom))
            let shown = try #require(Self.attribute("data-availability", in: section).flatMap(Double.init))
            #expect(abs(shown - availability) < 1e-12, "\(provider): page \(shown), API \(availability)")
            // Vietnamese number format: a decimal comma and a space before %.
            let percent = String(format: "%.2f", availability * 100).replacingOccurrences(of: ".", with: ",") + "\u{a0}%"
            #expect(section.contains(percent) || section.contains(percent.replacingOccurrences(of: "\u{a0}", with: "&nbsp;")),
                    "\(provider): \(percent) not shown")
            #expect(section.contains("<svg class=\"bars\""), "\(provider): no availability bars")
        }
        #expect(!dom.contains("<script"), "the page must work without JavaScript")

        // A provider's token shows that provider only; no token shows only the public one.
        let own = try HeadlessChromium.run(
            [ServeFixture.loopbackOnly, "--dump-dom"], url: "http://127.0.0.1:\(port)/?access_token=\(ServeFixture.providerToken)", in: fixture.directory)
        #expect(own.contains("Alpha Net") && !own.contains("Beta Telecom") && !own.contains("provider-1"))
        let anonymous = try HeadlessChromium.run([ServeFixture.loopbackOnly, "--dump-dom"], url: "http://127.0.0.1:\(port)/?lang=en", in: fixture.directory)
        #expect(anonymous.contains("Beta Telecom") && !anonymous.contains("Alpha Net") && !anonymous.contains("provider-0"))
    }

    @Test func theReportPageIsTheCLIReportAndShowsTheJSONFigures() throws {
        let fixture = try ServeFixture()
        defer { fixture.directory.remove() }
        let (serve, port) = try fixture.startServe()
        defer { serve.send(SIGTERM); _ = try? serve.waitForExit() }
        let now = Date()
        let from = ServeFixture.timestamp(now.addingTimeInterval(-2 * 86_400)).description
        let to = ServeFixture.timestamp(now.addingTimeInterval(-86_400)).description
        let range = "from=\(from)&to=\(to)"

        let url = "http://127.0.0.1:\(port)/api/v1/report?format=html&\(range)&access_token=\(ServeFixture.adminToken)"
        let dom = try HeadlessChromium.run([ServeFixture.loopbackOnly, "--dump-dom"], url: url, in: fixture.directory)
        _ = try HeadlessChromium.run([ServeFixture.loopbackOnly, "--screenshot=\(ServeFixture.artifactPath("serve-report-page.png"))", "--window-size=1200,2000"],
                                     url: url, in: fixture.directory)
        for name in ServeFixture.names.values { #expect(dom.contains(name), "the report lacks \(name)") }
        let json = try ServeClient.json(port: port, "/api/v1/report?format=json&\(range)", token: ServeFixture.adminToken,
                                        in: fixture.directory)
        let groups = try #require(json["groups"] as? [[String: Any]])
        #expect(!groups.isEmpty)
        for group in groups {
            let availability = try #require((group["availability"] as? [String: Any])?["adjusted"] as? Double)
            let shown = String(format: "%.3f%%", availability * 100)
            #expect(dom.contains(shown), "the report page lacks \(shown)")
        }

        // The same bytes as `ispwatch report` over the same store and period.
        let served = try ServeClient.get(port: port, "/api/v1/report?format=csv&table=incidents&\(range)",
                                         token: ServeFixture.adminToken, in: fixture.directory)
        let cli = try ISPWatchBinary.run(["report", "--data", "store", "--config", "serve.yaml", "--from", from, "--to", to,
                                          "--format", "csv", "--table", "incidents"], in: fixture.directory)
        #expect(served.status == 200 && cli.status == 0)
        #expect(served.body == cli.standardOutput)

        // A provider's report holds only its own groups.
        let scoped = try ServeClient.get(port: port, "/api/v1/report?format=text&\(range)", token: ServeFixture.providerToken,
                                         in: fixture.directory)
        #expect(scoped.status == 200 && scoped.body.contains("Alpha Net") && !scoped.body.contains("Beta Telecom"))
    }

    @Test func accessIsRefusedOrHiddenAsDocumented() throws {
        let fixture = try ServeFixture(days: 1)
        defer { fixture.directory.remove() }
        let (serve, port) = try fixture.startServe()
        defer { serve.send(SIGTERM); _ = try? serve.waitForExit() }
        let directory = fixture.directory
        #expect(try ServeClient.get(port: port, "/healthz", in: directory).status == 200)
        #expect(try ServeClient.get(port: port, "/api/v1/sla", in: directory).status == 401)
        #expect(try ServeClient.get(port: port, "/api/v1/sla", token: "guess", in: directory).status == 401)
        #expect(try ServeClient.get(port: port, "/providers/provider-0", in: directory).status == 401)
        #expect(try ServeClient.get(port: port, "/providers/provider-1", in: directory).status == 200)
        let other = try ServeClient.get(port: port, "/api/v1/sla?provider=provider-1", token: ServeFixture.providerToken, in: directory)
        let missing = try ServeClient.get(port: port, "/api/v1/sla?provider=nobody", token: ServeFixture.providerToken, in: directory)
        #expect(other.status == 404 && other.body == missing.body)
        let bad = try ServeClient.get(port: port, "/api/v1/sla?from=soon", token: ServeFixture.adminToken, in: directory)
        #expect(bad.status == 400 && bad.body.contains("\"parameter\":\"from\""))
        let metrics = try ServeClient.get(port: port, "/metrics", token: ServeFixture.adminToken, in: directory)
        #expect(metrics.status == 200 && metrics.body.contains("ispwatch_server_requests_total{route=\"/api/v1/sla\",status=\"400\"} 1"))
        // An oversized request is refused before any route runs.
        let big = try ChildCommand.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                                                          "X-Padding: \(String(repeating: "a", count: 20_000))",
                                                          "http://127.0.0.1:\(port)/healthz"])
        #expect(big.output == "431")
        serve.send(SIGTERM)
        #expect(try serve.waitForExit() == 0, "\(serve.standardError)")
    }

    /// The value of the first `name="…"` attribute in `html`.
    static func attribute(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: "\(name)=\"") else { return nil }
        let rest = html[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// The `<section>` of `provider` in `html`.
    static func section(of provider: String, in html: String) -> String? {
        guard let start = html.range(of: "data-provider=\"\(provider)\"") else { return nil }
        let rest = html[start.lowerBound...]
        return rest.range(of: "</section>").map { String(rest[..<$0.lowerBound]) }
    }
}
