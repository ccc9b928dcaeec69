import Alerting
import Foundation
import Logging
import Testing
import WatchCore

@Suite struct WebhookReceiverTests {
    @Test func aFiringAndAResolvedAlertArriveAsAlertmanagerV4WebhookMessages() async throws {
        let server = try LoopbackHTTPReceiver()
        defer { server.close() }
        let receiver = WebhookReceiver(url: server.url, receiverName: "zalo-bridge", externalURL: "http://ispwatch.example/")
        var firing = sampleNotification("vnpt-dns-1")
        firing.annotations["generator_url"] = "http://ispwatch.example/targets/vnpt-dns-1"
        #expect(await receiver.deliver(firing, now: WallClock.now()) == .accepted)
        #expect(await receiver.deliver(firing.resolved(at: simulationStart.advanced(by: .seconds(300))), now: WallClock.now()) == .accepted)

        let messages = try server.bodies.map { try #require(try JSONSerialization.jsonObject(with: $0) as? [String: Any]) }
        try #require(messages.count == 2)
        for (message, status) in zip(messages, ["firing", "resolved"]) {
            // Every field of the v4 payload, as documented by Alertmanager.
            #expect(Set(message.keys) == ["version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels",
                                          "commonLabels", "commonAnnotations", "externalURL", "alerts"])
            #expect(message["version"] as? String == "4")
            #expect(message["status"] as? String == status)
            #expect(message["receiver"] as? String == "zalo-bridge")
            #expect(message["externalURL"] as? String == "http://ispwatch.example/")
            #expect(message["truncatedAlerts"] as? Int == 0)
            let alerts = try #require(message["alerts"] as? [[String: Any]])
            try #require(alerts.count == 1)
            let alert = alerts[0]
            #expect(Set(alert.keys) == ["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"])
            #expect(alert["status"] as? String == status)
            #expect((alert["labels"] as? [String: String])?["target"] == "vnpt-dns-1")
            #expect((alert["labels"] as? [String: String])?["alertname"] == "TargetDown")
            #expect(alert["startsAt"] as? String == "2027-01-14T08:00:00.000Z")
            #expect(alert["generatorURL"] as? String == "http://ispwatch.example/targets/vnpt-dns-1")
            #expect((alert["fingerprint"] as? String)?.count == 16)
        }
        let alerts = messages.map { ($0["alerts"] as! [[String: Any]])[0] }
        #expect(alerts[0]["endsAt"] as? String == "0001-01-01T00:00:00Z")
        #expect(alerts[1]["endsAt"] as? String == "2027-01-14T08:05:00.000Z")
        #expect(alerts[0]["fingerprint"] as? String == alerts[1]["fingerprint"] as? String)
    }

    @Test func aWebhookAnswering503IsRetriedAndOne400IsDropped() async throws {
        let server = try LoopbackHTTPReceiver(statuses: [503, 400])
        defer { server.close() }
        let directory = temporaryDirectory("webhook-outbox")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let dispatcher = AlertDispatcher(
            outbox: try AlertOutbox(directory: directory), receiver: WebhookReceiver(url: server.url),
            retry: RetryPolicy(initialDelay: .seconds(1)), logger: Logger(label: "alerting-tests"))
        try await dispatcher.enqueue([sampleNotification("a")])
        let now = WallClock.now()
        #expect(await dispatcher.deliverDue(now: now) == 0)
        #expect(await dispatcher.pending.count == 1)
        #expect(await dispatcher.deliverDue(now: now.advanced(by: .seconds(2))) == 0)
        #expect(await dispatcher.pending.isEmpty)
        #expect(await dispatcher.dropped == 1)
        #expect(server.bodies.count == 2)
    }
}
