import Foundation
import SeriesStore
import Testing
import WatchCore

/// `ispwatch run` end to end: the real binary against real nginx and nsd on loopback.
@Suite(.serialized) struct RunCommandTests {
    private static func configuration(_ lab: LabServers, resolver: Bool = true, extraTargets: String = "",
                                      controlPort: Int? = nil) -> String {
        let resolverTarget = """
              - id: resolver
                provider: lab
                dns: {server: 127.0.0.1, port: \(lab.dnsPort), query_name: www.isp.test, expect: {answer_contains: [127.0.0.1]}}
            """
        return 
        """
        vantage:
          id: e2e
          controls:
            - id: ctl
              \(controlPort.map { "tcp: {host: 127.0.0.1, port: \($0)}" }
                ?? "dns: {server: 127.0.0.1, port: \(lab.dnsPort), query_name: www.isp.test}")
        defaults: {interval: 1s, timeout: 500ms}
        scheduler: {failing_interval: 1s}
        providers:
          - id: lab
        targets:
          - id: portal
            provider: lab
            http: {url: "http://127.0.0.1:\(lab.httpPort)/", expect: {status: "200"}}
        \(resolver ? resolverTarget : "")
        \(extraTargets)
        """
    }

    private func results(_ directory: String, target: String) throws -> [StoredResult] {
        let reader = try StoreReader(directory: directory)
        let ids = Set(reader.series.values.filter { $0.key.target.rawValue == target }.map(\.id))
        return try reader.results(series: ids).sorted { $0.startMillis < $1.startMillis }
    }

    private func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    @Test func aStoppedPortalShowsExactlyItsGapAndSIGTERMLeavesACleanStore() throws {
        try LabServers.with { lab in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            try directory.write("run.yaml", Self.configuration(lab))
            let run = try RunningISPWatch(
                ["run", "--config", "run.yaml", "--data", "store", "--metrics-address", "127.0.0.1:0", "--no-sync"],
                in: directory)
            try run.waitForLog("ispwatch run started")
            sleep(3)
            let stoppedAt = nowMillis()
            lab.stopNginx()
            sleep(3)
            // While it is down, /metrics says so with blackbox's names, and promtool accepts the page.
            let page = try ChildCommand.scrapeMetrics(port: try run.metricsPort(), into: directory)
            #expect(page.contains(#"probe_success{target="portal",provider="lab",service="http",kind="http",ip_family="v4",vantage="e2e"} 0"#),
                    "\(page.prefix(3000))")
            #expect(page.contains(#"reason="tcp_refused""#))
            #expect(page.contains("ispwatch_vantage_healthy{vantage=\"e2e\"} 1"))
            let lint = try ChildCommand.run("/usr/bin/promtool", ["check", "metrics"], input: directory.file("metrics.txt"))
            #expect(lint.status == 0, "promtool: \(lint.output)")
            sleep(1)
            let restartedAt = nowMillis()
            try lab.startNginx()
            let answeringAt = nowMillis()
            sleep(3)
            run.send(SIGTERM)
            #expect(try run.waitForExit() == 0, "\(run.standardError)")

            let portal = try results(directory.file("store"), target: "portal")
            let failed = portal.filter { !$0.success }
            // Every failure lies inside the outage, every probe inside it failed, and the outage is
            // seen within one interval of each edge.
            #expect(!failed.isEmpty)
            for result in failed {
                #expect(result.startMillis >= stoppedAt && result.startMillis < answeringAt,
                        "a failure at \(result.startMillis) outside the outage [\(stoppedAt), \(answeringAt))")
                #expect(result.failure == .tcpRefused, "\(String(describing: result.failure))")
            }
            for result in portal where result.startMillis > stoppedAt + 100 && result.startMillis < restartedAt {
                #expect(!result.success, "a success at \(result.startMillis) while nginx was stopped")
            }
            if let first = failed.first, let last = failed.last {
                #expect(first.startMillis - stoppedAt <= 1_100)
                #expect(answeringAt - last.startMillis <= 1_100 + (answeringAt - restartedAt))
            }
            // One probe per slot: scheduled times a whole interval apart with none skipped.
            let scheduled = portal.compactMap(\.scheduledMillis)
            #expect(scheduled.count == portal.count)
            for (earlier, later) in zip(scheduled, scheduled.dropFirst()) {
                #expect(later - earlier == 1_000, "slots \(earlier) and \(later) are not one interval apart")
            }
            // The resolver never noticed.
            let resolver = try results(directory.file("store"), target: "resolver")
            #expect(resolver.count >= 8 && resolver.allSatisfy(\.success))

            let verify = try ISPWatchBinary.run(["store", "verify", directory.file("store")])
            #expect(verify.status == 0, "\(verify.standardOutput)\(verify.standardError)")
        }
    }

    @Test func sighupAddsAndRemovesTargetsKeepsHistoryAndRefusesABadFile() throws {
        try LabServers.with { lab in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            try directory.write("run.yaml", Self.configuration(lab))
            let run = try RunningISPWatch(
                ["run", "--config", "run.yaml", "--data", "store", "--metrics-address", "127.0.0.1:0", "--no-sync"],
                in: directory)
            try run.waitForLog("ispwatch run started")
            sleep(3)

            // Remove the resolver, add a TCP target.
            let reloadedAt = nowMillis()
            try directory.write("run.yaml", Self.configuration(lab, resolver: false, extraTargets: """
                  - id: portal-tcp
                    provider: lab
                    tcp: {host: 127.0.0.1, port: \(lab.httpPort)}
                """))
            run.send(SIGHUP)
            try run.waitForLog("configuration reloaded")
            sleep(3)

            // A broken file is refused; probing goes on with the running configuration.
            let refusedAt = nowMillis()
            try directory.write("run.yaml", "targets: [{id: broken}]\n")
            run.send(SIGHUP)
            try run.waitForLog("reload refused")
            sleep(2)
            run.send(SIGTERM)
            #expect(try run.waitForExit() == 0, "\(run.standardError)")

            let store = directory.file("store")
            let resolver = try results(store, target: "resolver")
            #expect(resolver.count >= 2, "the resolver's history is kept")
            #expect(resolver.allSatisfy { $0.startMillis < reloadedAt + 1_000 }, "the removed resolver was probed after the reload")
            let added = try results(store, target: "portal-tcp")
            #expect(added.count >= 3 && added.allSatisfy { $0.startMillis >= reloadedAt && $0.success })
            #expect(added.contains { $0.startMillis > refusedAt + 500 }, "probing stopped after a refused reload")
            let portal = try results(store, target: "portal")
            #expect(portal.contains { $0.startMillis < reloadedAt } && portal.contains { $0.startMillis > refusedAt + 500 })
            #expect(run.standardError.contains("targets[0]"), "the refused reload names the bad field")
        }
    }

    @Test func aVantageWhoseControlsAllFailStoresAnUnhealthyVerdict() throws {
        try LabServers.with { lab in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            // The control points at a port nobody listens on: the vantage's "network" is broken.
            let closedPort = try FreePort.tcp()
            try directory.write("run.yaml", Self.configuration(lab, controlPort: closedPort))
            let run = try RunningISPWatch(
                ["run", "--config", "run.yaml", "--data", "store", "--metrics-address", "127.0.0.1:0", "--no-sync"],
                in: directory)
            try run.waitForLog("vantage health changed")
            run.send(SIGTERM)
            #expect(try run.waitForExit() == 0, "\(run.standardError)")

            let reader = try StoreReader(directory: directory.file("store"))
            let health = try #require(reader.series.values.first {
                SeriesRole(labels: $0.metadata.labels) == .vantageHealth
            })
            #expect(health.key.vantage == "e2e")
            let verdicts = try reader.results(series: [health.id]).sorted { $0.startMillis < $1.startMillis }
            #expect(verdicts.first?.success == true, "a healthy verdict at start")
            #expect(verdicts.contains { !$0.success }, "an unhealthy verdict once every control failed")
            #expect(run.standardError.contains("vantage.health=unhealthy"))
            let control = try results(directory.file("store"), target: "ispwatch.control.ctl")
            #expect(!control.isEmpty && control.allSatisfy { !$0.success })
        }
    }
}

/// A loopback TCP port with nothing listening on it (bound, read, closed).
enum FreePort {
    static func tcp() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw CLITestError("socket failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw CLITestError("bind failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
