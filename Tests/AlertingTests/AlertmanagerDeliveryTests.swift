import Alerting
import Foundation
import Logging
import Testing
import WatchCore

/// With a real Alertmanager started on loopback by each test.
@Suite struct AlertmanagerDeliveryTests {
    let logger = Logger(label: "alerting-tests")

    @Test func aTargetDownPageAppearsInAlertmanagerWithItsLabelsAndItsResolveEndsIt() async throws {
        let alertmanager = try AlertmanagerServer()
        try await alertmanager.start()
        defer { alertmanager.stop() }
        let outboxDirectory = temporaryDirectory("outbox")
        defer { try? FileManager.default.removeItem(atPath: outboxDirectory) }
        let dispatcher = AlertDispatcher(
            outbox: try AlertOutbox(directory: outboxDirectory),
            receiver: AlertmanagerReceiver(baseURL: alertmanager.baseURL), logger: logger)

        // The engine runs on injected time: ten whole minutes ago, so every slice it judges is past.
        let nowSeconds = Int64(WallClock.now().secondsSinceEpoch)
        let start = Timestamp(nanosecondsSinceEpoch: (nowSeconds / 60 - 10) * 60 * 1_000_000_000)
        let target = dnsTarget("vnpt-dns-hn-1")
        var harness = EngineHarness(rules: AlertRules(generatorURL: "http://127.0.0.1:9/status"), targets: [target], start: start)
        harness.run("UDDD", target: target)
        try await dispatcher.enqueue(harness.sent)
        #expect(await dispatcher.pending.count == 1)

        let sendStart = ContinuousClock.now
        #expect(await dispatcher.deliverDue(now: WallClock.now()) == 1)
        let deliveryTime = ContinuousClock.now - sendStart
        print("alertmanager accepted the page \(deliveryTime) after it was handed to the dispatcher")
        #expect(await dispatcher.pending.isEmpty)
        #expect(FileManager.default.fileExists(atPath: outboxDirectory))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outboxDirectory).isEmpty)

        let labels = ["alertname": "TargetDown", "provider": "vnpt", "service": "dns", "target": "vnpt-dns-hn-1",
                      "family": "v4", "severity": "critical"]
        let alert = try #require(try await alertmanager.alert(matching: labels))
        #expect((alert["status"] as? [String: Any])?["state"] as? String == "active")
        #expect((alert["annotations"] as? [String: String])?["summary"]?.contains("DOWN") == true)
        #expect(alert["generatorURL"] as? String == "http://127.0.0.1:9/status")
        #expect(alert["startsAt"] as? String == harness.sliceStart(1).description)

        harness.run("UUUUU", target: target)
        let resolve = harness.sent.filter { $0.status == .resolved }
        #expect(resolve.count == 1)
        try await dispatcher.enqueue(resolve)
        #expect(await dispatcher.deliverDue(now: WallClock.now()) == 1)
        #expect(try await alertmanager.alert(matching: labels) == nil)
    }

    @Test func aPageWrittenWhileAlertmanagerIsDownIsDeliveredAfterACrashAndItsReturn() async throws {
        let alertmanager = try AlertmanagerServer()
        let outboxDirectory = temporaryDirectory("outbox")
        defer { try? FileManager.default.removeItem(atPath: outboxDirectory) }
        let page = sampleNotification("vnpt-web-1", at: WallClock.now())
        let receiver = AlertmanagerReceiver(baseURL: alertmanager.baseURL)
        do {
            // Alertmanager is not running: the delivery fails and the page stays in the outbox.
            let dispatcher = AlertDispatcher(outbox: try AlertOutbox(directory: outboxDirectory), receiver: receiver, logger: logger)
            try await dispatcher.enqueue([page])
            #expect(await dispatcher.deliverDue(now: WallClock.now()) == 0)
            #expect(await dispatcher.pending.count == 1)
            // The dispatcher is dropped here without any cleanup, as in a SIGKILL.
        }
        try await alertmanager.start()
        defer { alertmanager.stop() }
        let restarted = AlertDispatcher(outbox: try AlertOutbox(directory: outboxDirectory), receiver: receiver, logger: logger)
        #expect(await restarted.pending.map(\.notification) == [page])
        #expect(await restarted.deliverDue(now: WallClock.now()) == 1)
        #expect(try await alertmanager.alert(matching: ["alertname": "TargetDown", "target": "vnpt-web-1"]) != nil)
    }

    @Test func aPageHeldWhileAlertmanagerIsStoppedIsRetriedAfterItsBackoffAndDelivered() async throws {
        let alertmanager = try AlertmanagerServer()
        try await alertmanager.start()
        defer { alertmanager.stop() }
        let outboxDirectory = temporaryDirectory("outbox")
        defer { try? FileManager.default.removeItem(atPath: outboxDirectory) }
        let dispatcher = AlertDispatcher(
            outbox: try AlertOutbox(directory: outboxDirectory), receiver: AlertmanagerReceiver(baseURL: alertmanager.baseURL),
            retry: RetryPolicy(initialDelay: .seconds(10)), logger: logger)
        alertmanager.stop()
        let now = WallClock.now()
        try await dispatcher.enqueue([sampleNotification("vnpt-portal-1", at: now)])
        #expect(await dispatcher.deliverDue(now: now) == 0)
        try await alertmanager.start()
        // Within the backoff (at least half of 10 s) nothing is tried, even though it is back.
        #expect(await dispatcher.deliverDue(now: now.advanced(by: .seconds(4))) == 0)
        #expect(await dispatcher.pending.count == 1)
        #expect(await dispatcher.deliverDue(now: now.advanced(by: .seconds(11))) == 1)
        #expect(try await alertmanager.alert(matching: ["target": "vnpt-portal-1"]) != nil)
    }

    @Test func aNotificationAlertmanagerRefusesIsDroppedNotRetried() async throws {
        let alertmanager = try AlertmanagerServer()
        try await alertmanager.start()
        defer { alertmanager.stop() }
        let outboxDirectory = temporaryDirectory("outbox")
        defer { try? FileManager.default.removeItem(atPath: outboxDirectory) }
        let dispatcher = AlertDispatcher(
            outbox: try AlertOutbox(directory: outboxDirectory), receiver: AlertmanagerReceiver(baseURL: alertmanager.baseURL), logger: logger)
        var bad = sampleNotification("vnpt-dns-9", at: WallClock.now())
        bad.labels["not a label name"] = "x"
        try await dispatcher.enqueue([bad, sampleNotification("vnpt-dns-8", at: WallClock.now())])
        #expect(await dispatcher.deliverDue(now: WallClock.now()) == 1)
        #expect(await dispatcher.dropped == 1)
        #expect(await dispatcher.pending.isEmpty)
        #expect(try await alertmanager.alert(matching: ["target": "vnpt-dns-8"]) != nil)
    }

    /// The measured time from the first failed probe to the page accepted by Alertmanager, for a
    /// 10 s probe interval: the engine's part in injected time (probes every 10 s, a tick every
    /// second), the delivery's part in real time.
    @Test func theFirstFailedProbeIsPagedWithinTheRuleTimePlusOneEvaluation() async throws {
        let alertmanager = try AlertmanagerServer()
        try await alertmanager.start()
        defer { alertmanager.stop() }
        let outboxDirectory = temporaryDirectory("outbox")
        defer { try? FileManager.default.removeItem(atPath: outboxDirectory) }
        let dispatcher = AlertDispatcher(
            outbox: try AlertOutbox(directory: outboxDirectory), receiver: AlertmanagerReceiver(baseURL: alertmanager.baseURL), logger: logger)

        let rules = AlertRules()
        let target = dnsTarget("vnpt-dns-hn-1")
        var engine = AlertEngine(rules: rules, targets: [target])
        let nowSeconds = Int64(WallClock.now().secondsSinceEpoch)
        let start = Timestamp(nanosecondsSinceEpoch: (nowSeconds / 60 - 20) * 60 * 1_000_000_000)
        // The target breaks 2 min 33 s in; probes start 3 s into every 10 s.
        let breaks = start.advanced(by: .seconds(153))
        var firstFailure: Timestamp?
        var page: (AlertNotification, Timestamp)?
        for second in 0..<900 where page == nil {
            let now = start.advanced(by: .seconds(Int64(second)))
            if second % 10 == 3 {
                let failing = now >= breaks
                if failing, firstFailure == nil { firstFailure = now }
                let result = ProbeResult(target: target.id, kind: .tcp, ipFamily: .v4, startedAt: now,
                                         failure: failing ? .tcpTimeout : nil, duration: .seconds(failing ? 2 : 0))
                _ = engine.handle(.probeResult(result, series: SeriesKey(target: target.id, vantage: "hanoi-1", family: .v4), target: target))
            }
            if let fired = engine.handle(.tick(now)).first(where: { $0.status == .firing }) { page = (fired, now) }
        }
        let (notification, firedAt) = try #require(page)
        let first = try #require(firstFailure)
        let evaluation = first.duration(to: firedAt)
        try await dispatcher.enqueue([notification])
        let sent = ContinuousClock.now
        #expect(await dispatcher.deliverDue(now: WallClock.now()) == 1)
        let delivery = ContinuousClock.now - sent
        #expect(try await alertmanager.alert(matching: ["target": "vnpt-dns-hn-1"]) != nil)
        print("first failed probe → page: \(evaluation) of evaluation (K = 3 one-minute slices, 15 s close delay) + \(delivery) delivery to Alertmanager")
        // The rule's time (K slices) plus one evaluation (the slice the failure began in and the close delay).
        let bound = Duration.seconds(60 * Int64(rules.accounting.incident.openAfterDownSlices) + 60) + rules.sliceCloseDelay
        #expect(evaluation <= bound)
        #expect(evaluation >= Duration.seconds(60 * Int64(rules.accounting.incident.openAfterDownSlices - 1)))
        #expect(delivery < .seconds(2))
    }
}
