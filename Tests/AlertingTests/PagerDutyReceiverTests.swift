import Alerting
import Foundation
import Logging
import Testing
import WatchCore

@Suite struct PagerDutyReceiverTests {
    @Test func aTriggerAndAResolveCarryEveryEventsAPIv2FieldWithTheSameDedupKey() async throws {
        let server = try LoopbackHTTPReceiver(statuses: [202, 202])
        defer { server.close() }
        let url = URL(string: "http://127.0.0.1:\(server.port)/v2/enqueue")!
        let receiver = PagerDutyReceiver(routingKey: "0123456789abcdef0123456789abcdef", url: url)
        var firing = sampleNotification("vnpt-dns-1")
        firing.annotations["generator_url"] = "http://ispwatch.example/targets/vnpt-dns-1"
        #expect(await receiver.deliver(firing, now: WallClock.now()) == .accepted)
        #expect(await receiver.deliver(firing.resolved(at: simulationStart.advanced(by: .seconds(300))), now: WallClock.now()) == .accepted)

        let events = try server.bodies.map { try #require(try JSONSerialization.jsonObject(with: $0) as? [String: Any]) }
        try #require(events.count == 2)
        #expect(server.heads.allSatisfy { $0.hasPrefix("POST /v2/enqueue HTTP/1.1") })
        #expect(server.heads.allSatisfy { $0.lowercased().contains("content-type: application/json") })

        let trigger = events[0]
        #expect(Set(trigger.keys) == ["routing_key", "event_action", "dedup_key", "client", "client_url", "payload"])
        #expect(trigger["routing_key"] as? String == "0123456789abcdef0123456789abcdef")
        #expect(trigger["event_action"] as? String == "trigger")
        #expect(trigger["dedup_key"] as? String == "vnpt/dns/vnpt-dns-1/v4")
        #expect(trigger["client"] as? String == "ispwatch")
        #expect(trigger["client_url"] as? String == "http://ispwatch.example/targets/vnpt-dns-1")
        let payload = try #require(trigger["payload"] as? [String: Any])
        #expect(Set(payload.keys) == ["summary", "source", "severity", "timestamp", "class", "component", "group", "custom_details"])
        #expect(payload["summary"] as? String == "vnpt-dns-1 is DOWN")
        #expect(payload["source"] as? String == "vnpt-dns-1")
        #expect(payload["severity"] as? String == "critical")
        #expect(payload["timestamp"] as? String == "2027-01-14T08:00:00.000Z")
        #expect(payload["class"] as? String == "TargetDown")
        #expect(payload["component"] as? String == "dns")
        #expect(payload["group"] as? String == "vnpt")
        let details = try #require(payload["custom_details"] as? [String: Any])
        #expect((details["labels"] as? [String: String])?["alertname"] == "TargetDown")
        #expect((details["labels"] as? [String: String])?["family"] == "v4")
        #expect(details["starts_at"] as? String == "2027-01-14T08:00:00.000Z")
        #expect(details["generator_url"] as? String == "http://ispwatch.example/targets/vnpt-dns-1")

        let resolve = events[1]
        #expect(Set(resolve.keys) == ["routing_key", "event_action", "dedup_key", "client"])
        #expect(resolve["event_action"] as? String == "resolve")
        #expect(resolve["dedup_key"] as? String == trigger["dedup_key"] as? String)
        #expect(resolve["routing_key"] as? String == trigger["routing_key"] as? String)
    }

    @Test func a429And500AreRetriedAndA400IsDroppedWithALogLine() async throws {
        let server = try LoopbackHTTPReceiver(statuses: [429, 500, 202, 400])
        defer { server.close() }
        let directory = temporaryDirectory("pagerduty-outbox")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let url = URL(string: "http://127.0.0.1:\(server.port)/v2/enqueue")!
        let dispatcher = AlertDispatcher(
            outbox: try AlertOutbox(directory: directory), receiver: PagerDutyReceiver(routingKey: "k", url: url),
            retry: RetryPolicy(initialDelay: .seconds(1)), logger: Logger(label: "alerting-tests"))
        try await dispatcher.enqueue([sampleNotification("a")])
        let now = WallClock.now()
        #expect(await dispatcher.deliverDue(now: now) == 0)  // 429
        #expect(await dispatcher.deliverDue(now: now.advanced(by: .seconds(2))) == 0)  // 500
        #expect(await dispatcher.pending.count == 1)
        #expect(await dispatcher.deliverDue(now: now.advanced(by: .seconds(10))) == 1)  // 202
        #expect(await dispatcher.pending.isEmpty)

        try await dispatcher.enqueue([sampleNotification("b")])
        #expect(await dispatcher.deliverDue(now: now.advanced(by: .seconds(11))) == 0)  // 400
        #expect(await dispatcher.pending.isEmpty)
        #expect(await dispatcher.dropped == 1)
        #expect(server.bodies.count == 4)
    }
}
