import Foundation
import Testing
import WatchCore

/// The server reads a store that `ispwatch run` is writing: `ispwatch serve` beside the run, and the
/// same server inside the run (`--serve-address`), both answer throughout and see new results.
@Suite(.serialized) struct ServeWhileRunTests {
    @Test func bothServersAnswerWhileRunWritesAndSeeItsNewResults() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Port 1 on loopback refuses: every probe is a stored failure, one a second.
        try directory.write("run.yaml", ServeFixture.configuration(extra: """
            vantage: {id: serve-lab}
            defaults: {interval: 1s, timeout: 500ms}
            targets:
              - {id: refused-port, provider: provider-0, service: gateway, tcp: {host: 127.0.0.1, port: 1}}
            """))
        let startedAt = ServeFixture.timestamp(Date().addingTimeInterval(-1))
        let run = try RunningISPWatch([
            "run", "--config", "run.yaml", "--data", "store", "--metrics-address", "127.0.0.1:0",
            "--serve-address", "127.0.0.1:0", "--no-sync",
        ], in: directory)
        defer { run.send(SIGTERM); _ = try? run.waitForExit() }
        let runPort = try run.servePort()
        try run.waitForLog("ispwatch run started")
        try await Task.sleep(for: .seconds(2))
        let serve = try RunningISPWatch(
            ["serve", "--config", "run.yaml", "--data", "store", "--address", "127.0.0.1:0"], in: directory)
        defer { serve.send(SIGTERM); _ = try? serve.waitForExit() }
        let servePort = try serve.servePort()

        let path = "/api/v1/results?target=refused-port&from=\(startedAt)&limit=1000"
        var counts: [Int] = []
        let deadline = Date().addingTimeInterval(8)
        while Date() < deadline {
            for port in [servePort, runPort] {
                let page = try ServeClient.json(port: port, path, token: ServeFixture.providerToken, in: directory)
                counts.append((page["results"] as? [[String: Any]])?.count ?? -1)
                let sla = try ServeClient.get(port: port, "/api/v1/sla?from=\(startedAt)&group_by=target",
                                              token: ServeFixture.adminToken, in: directory)
                #expect(sla.status == 200, "\(sla.body)")
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(counts.allSatisfy { $0 >= 0 })
        let first = try #require(counts.first)
        let last = try #require(counts.last)
        #expect(last >= first + 3, "no new results seen while run wrote: \(counts)")
        let failures = try ServeClient.json(port: servePort, path, token: ServeFixture.adminToken, in: directory)
        let reasons = Set(((failures["results"] as? [[String: Any]]) ?? []).compactMap { $0["failure"] as? String })
        #expect(reasons == ["tcp_refused"])

        // Inside run, /metrics carries the live registry as well as the server's counters.
        let metrics = try ServeClient.get(port: runPort, "/metrics", token: ServeFixture.adminToken, in: directory)
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("ispwatch_build_info") && metrics.body.contains("ispwatch_server_requests_total"))
        #expect(try ServeClient.get(port: runPort, "/metrics", token: ServeFixture.providerToken, in: directory).status == 404)

        serve.send(SIGTERM)
        #expect(try serve.waitForExit() == 0, "\(serve.standardError)")
        run.send(SIGTERM)
        #expect(try run.waitForExit() == 0, "\(run.standardError)")
    }
}
