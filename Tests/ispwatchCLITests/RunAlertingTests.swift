import Foundation
import Testing

/// `ispwatch run` with an `alerting:` section, end to end: the real binary probing the lab's nginx
/// and paging a real Alertmanager on loopback, with 2 s slices so an outage pages in seconds.
@Suite(.serialized) struct RunAlertingTests {
    /// Slice 2 s, K = 2, M = 2, judged 1 s after a slice ends, probes every second.
    private static let slice = 2.0, downSlices = 2.0, upSlices = 2.0, closeDelay = 1.0, interval = 1.0
    /// One evaluation: the pipeline ticks every second and its dispatcher looks at the outbox every second.
    private static let evaluation = 2.0

    /// `pagerDutyPort`: where the PagerDuty receiver posts; nothing listens there, so what is routed
    /// to it stays in its outbox, where `ispwatch alerts` shows it.
    ///
    /// `controlled`: the vantage's control probes the same nginx, so stopping it looks like the
    /// vantage losing its network; K is 3 then, so that the slice in which the failure starts (before
    /// the controls' verdict) cannot page alone.
    private static func configuration(
        _ lab: LabServers, alertmanager: AlertmanagerProcess, pagerDutyPort: Int, controlled: Bool = false
    ) -> String {
        """
        vantage:
          id: e2e
        \(controlled ? "  controls: [{id: ctl, tcp: {host: 127.0.0.1, port: \(lab.httpPort)}}]" : "")
        defaults: {interval: 1s, timeout: 500ms}
        scheduler: {failing_interval: 1s}
        providers:
          - id: lab
        targets:
          - id: portal
            provider: lab
            http: {url: "http://127.0.0.1:\(lab.httpPort)/", expect: {status: "200"}}
        alerting:
          rules: {slice: 2s, close_delay: 1s, down_slices: \(controlled ? 3 : 2), up_slices: 2, resend_interval: 5s, vantage_unhealthy_for: 2s}
          receivers:
            - name: am
              alertmanager: {url: "\(alertmanager.baseURL)"}
            - name: pd
              pagerduty: {routing_key: 0123456789abcdef0123456789abcdef, url: "http://127.0.0.1:\(pagerDutyPort)/v2/enqueue"}
          routes:
            - match: {team: platform}
              receiver: pd
            - match: {provider: lab}
              receiver: am
              continue: true
            - match: {severity: critical}
              receiver: pd
              repeat_interval: 1h
        """
    }

    private static let portalDown = ["alertname": "TargetDown", "target": "portal", "provider": "lab"]

    /// The worst case from the first failed probe to the page: the failure may start just after a
    /// slice began, so that slice is not DOWN and K more are needed, then the close delay.
    private static var ruleTime: Double { (downSlices + 1) * slice + closeDelay }

    private static func pending(_ directory: TemporaryDirectory) throws -> [[String: Any]] {
        let listing = try ISPWatchBinary.run(["alerts", "--data", "data", "--json"], in: directory)
        guard listing.status == 0,
              let entries = try JSONSerialization.jsonObject(with: Data(listing.standardOutput.utf8)) as? [[String: Any]]
        else { throw CLITestError("ispwatch alerts --json failed: \(listing.standardError)\(listing.standardOutput)") }
        return entries
    }

    @Test func aStoppedPortalPagesAlertmanagerWithinTheRuleTimeAndItsReturnResolvesThePage() async throws {
        let alertmanager = try AlertmanagerProcess()
        try await alertmanager.start()
        let lab = try LabServers.start()
        defer { lab.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("run.yaml", Self.configuration(lab, alertmanager: alertmanager, pagerDutyPort: try FreePort.tcp()))
        let run = try RunningISPWatch(
            ["run", "--config", "run.yaml", "--data", "data", "--metrics-address", "127.0.0.1:0", "--no-sync"],
            in: directory)
        try await run.awaitLog("ispwatch run started")
        try await Task.sleep(for: .seconds(4))
        #expect(try alertmanager.alert(matching: Self.portalDown) == nil, "a page while the portal answers")

        lab.stopNginx()
        let stoppedAt = Date()
        let budget = Self.interval + Self.ruleTime + Self.evaluation
        let pagedAt = try await alertmanager.waitUntil(timeout: budget + 10) {
            try alertmanager.alert(matching: Self.portalDown) != nil
        }
        let paged = try #require(pagedAt, "no TargetDown page in Alertmanager; ispwatch log:\n\(run.standardError)")
        let pageDelay = paged.timeIntervalSince(stoppedAt)
        print("TargetDown reached Alertmanager \(String(format: "%.1f", pageDelay)) s after nginx stopped (budget \(budget) s)")
        #expect(pageDelay <= budget, "paged after \(pageDelay) s")
        let alert = try #require(try alertmanager.alert(matching: Self.portalDown))
        let labels = try #require(alert["labels"] as? [String: String])
        #expect(labels["severity"] == "critical")
        #expect(labels["service"] == "http")
        #expect(labels["family"] == "v4")
        #expect((alert["status"] as? [String: Any])?["state"] as? String == "active")
        #expect((alert["annotations"] as? [String: String])?["summary"]?.contains("portal") == true)
        // The running process publishes what fires, for `ispwatch alerts`.
        try await Task.sleep(for: .seconds(1.5))
        let active = try ISPWatchBinary.run(["alerts", "--data", "data", "--active"], in: directory)
        #expect(active.status == 0 && active.standardOutput.contains("\"TargetDown\""), "\(active.standardOutput)")
        #expect(active.standardOutput.contains("portal"), "\(active.standardOutput)")
        // The route went on to the PagerDuty receiver too, which is down: the page waits in its own outbox.
        let waiting = try Self.pending(directory)
        #expect(waiting.map { $0["receiver"] as? String } == ["pd"])
        #expect(waiting.first?["status"] as? String == "firing")
        #expect(waiting.first?["dedup_key"] as? String == "lab/http/portal/v4")
        #expect(FileManager.default.fileExists(atPath: directory.file("data/alerts/outbox-am")))

        try lab.startNginx()
        let restartedAt = Date()
        let resolveBudget = Self.interval + (Self.upSlices + 1) * Self.slice + Self.closeDelay + Self.evaluation
        let resolvedAt = try await alertmanager.waitUntil(timeout: resolveBudget + 10) {
            try alertmanager.alert(matching: Self.portalDown) == nil
        }
        let resolved = try #require(resolvedAt, "the page was never resolved; ispwatch log:\n\(run.standardError)")
        let resolveDelay = resolved.timeIntervalSince(restartedAt)
        print("TargetDown resolved in Alertmanager \(String(format: "%.1f", resolveDelay)) s after nginx came back (budget \(resolveBudget) s)")
        #expect(resolveDelay <= resolveBudget)
        // Alertmanager's outbox is empty; PagerDuty's holds the resolve, which superseded the trigger.
        let left = try Self.pending(directory)
        #expect(left.map { $0["receiver"] as? String } == ["pd"], "\(left)")
        #expect(left.first?["status"] as? String == "resolved")

        run.send(SIGTERM)
        #expect(try await run.awaitExit() == 0, "\(run.standardError)")
        #expect(run.standardError.contains("alerting stopped"))
    }

    @Test func aPagePendingWhenIspwatchIsKilledIsDeliveredAfterTheRestart() async throws {
        let alertmanager = try AlertmanagerProcess()
        let lab = try LabServers.start()
        defer { lab.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("run.yaml", Self.configuration(lab, alertmanager: alertmanager, pagerDutyPort: try FreePort.tcp()))
        let arguments = ["run", "--config", "run.yaml", "--data", "data", "--metrics-address", "127.0.0.1:0", "--no-sync"]
        // Alertmanager is down: the page waits in the outbox.
        let first = try RunningISPWatch(arguments, in: directory)
        try await first.awaitLog("ispwatch run started")
        lab.stopNginx()
        let deadline = Date().addingTimeInterval(Self.interval + Self.ruleTime + Self.evaluation + 10)
        var pending: [[String: Any]] = []
        while Date() < deadline, pending.isEmpty {
            try await Task.sleep(for: .milliseconds(200))
            pending = try Self.pending(directory)
        }
        pending = pending.filter { $0["receiver"] as? String == "am" }
        try #require(pending.count == 1, "no page pending in the outbox; ispwatch log:\n\(first.standardError)")
        #expect(pending[0]["alertname"] as? String == "TargetDown")
        #expect(pending[0]["status"] as? String == "firing")
        #expect(pending[0]["dedup_key"] as? String == "lab/http/portal/v4")
        let text = try ISPWatchBinary.run(["alerts", "--data", "data"], in: directory)
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("am  #"), "\(text.standardOutput)")
        #expect(text.standardOutput.contains("firing  critical  TargetDown lab/http/portal/v4  since "), "\(text.standardOutput)")
        try await first.awaitLog("delivery failed; will retry")
        first.send(SIGKILL)
        _ = try await first.awaitExit()

        // The portal is back, so the new process has no outage to page: only the outbox can
        // deliver the page Alertmanager receives now.
        try lab.startNginx()
        try await alertmanager.start()
        let second = try RunningISPWatch(arguments, in: directory)
        try await second.awaitLog("ispwatch run started")
        let startedAt = Date()
        let delivered = try await alertmanager.waitUntil(timeout: 10) {
            try alertmanager.alert(matching: Self.portalDown) != nil
        }
        try #require(delivered != nil, "the pending page was not delivered after the restart; log:\n\(second.standardError)")
        print("the page pending at SIGKILL reached Alertmanager \(String(format: "%.1f", delivered!.timeIntervalSince(startedAt))) s after the restart")
        #expect(try Self.pending(directory).filter { $0["receiver"] as? String == "am" }.isEmpty)
        second.send(SIGTERM)
        #expect(try await second.awaitExit() == 0, "\(second.standardError)")
    }

    @Test func aVantageLosingItsNetworkPagesThePlatformReceiverOnlyAndNoTargetIsPaged() async throws {
        let alertmanager = try AlertmanagerProcess()
        try await alertmanager.start()
        let lab = try LabServers.start()
        defer { lab.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("run.yaml", Self.configuration(
            lab, alertmanager: alertmanager, pagerDutyPort: try FreePort.tcp(), controlled: true))
        let run = try RunningISPWatch(
            ["run", "--config", "run.yaml", "--data", "data", "--metrics-address", "127.0.0.1:0", "--no-sync"],
            in: directory)
        try await run.awaitLog("ispwatch run started")
        try await Task.sleep(for: .seconds(3))
        lab.stopNginx()
        try await run.awaitLog("vantage.health=unhealthy")
        // The platform's page is routed to PagerDuty only (its route does not continue); PagerDuty is
        // down here, so it waits in that receiver's outbox.
        var platformPages: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, platformPages.isEmpty {
            try await Task.sleep(for: .milliseconds(250))
            platformPages = try Self.pending(directory).filter { $0["alertname"] as? String == "VantageUnhealthy" }
        }
        try #require(platformPages.count == 1, "no VantageUnhealthy page; log:\n\(run.standardError)")
        #expect(platformPages[0]["receiver"] as? String == "pd")
        let labels = try #require(platformPages[0]["labels"] as? [String: String])
        #expect(labels["team"] == "platform")
        #expect(labels["vantage"] == "e2e")
        #expect(labels["provider"] == nil)
        // Long past the target rule's time: the target's slices are UNKNOWN, not DOWN.
        try await Task.sleep(for: .seconds(Self.interval + (3 + 1) * Self.slice + Self.closeDelay + Self.evaluation))
        let received = try alertmanager.alerts()
        #expect(received.isEmpty, "Alertmanager got \(received)")
        #expect(try Self.pending(directory).allSatisfy { $0["alertname"] as? String == "VantageUnhealthy" })
        run.send(SIGTERM)
        #expect(try await run.awaitExit() == 0, "\(run.standardError)")
    }
}

extension RunningISPWatch {
    /// ``waitForLog(_:timeout:)`` polling with `Task.sleep`, holding no thread while it waits.
    func awaitLog(_ text: String, timeout: TimeInterval = 20) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if standardError.contains(text) { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CLITestError("ispwatch never logged \"\(text)\"; its log:\n\(standardError)")
    }

    /// ``waitForExit(timeout:)`` polling with `Task.sleep`.
    func awaitExit(timeout: TimeInterval = 20) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return try waitForExit(timeout: 0)
    }
}
