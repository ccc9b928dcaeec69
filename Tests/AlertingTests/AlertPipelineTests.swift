import Alerting
import Foundation
import Logging
import Testing
import WatchCore

@Suite struct AlertPipelineTests {
    /// Polls `condition` every 50 ms for at most `seconds`.
    private func eventually(within seconds: Int, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func eventsSubmittedByTheProbeLoopReachAlertmanagerThroughTheOutbox() async throws {
        let alertmanager = try AlertmanagerServer()
        try await alertmanager.start()
        defer { alertmanager.stop() }
        let outboxDirectory = temporaryDirectory("outbox")
        defer { try? FileManager.default.removeItem(atPath: outboxDirectory) }
        let dispatcher = AlertDispatcher(
            outbox: try AlertOutbox(directory: outboxDirectory), receiver: AlertmanagerReceiver(baseURL: alertmanager.baseURL),
            logger: Logger(label: "alerting-tests"))
        let pipeline = AlertPipeline(engine: AlertEngine(rules: AlertRules(vantageUnhealthyFor: .zero)), dispatcher: dispatcher)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pipeline.run(tickEvery: .milliseconds(100)) }
            pipeline.submit(.vantageHealth(vantage: "hanoi-1", healthy: false, at: WallClock.now()))
            let paged = try await eventually(within: 10) {
                try await alertmanager.alert(matching: ["alertname": "VantageUnhealthy", "vantage": "hanoi-1", "team": "platform"]) != nil
            }
            #expect(paged, "the platform page did not reach Alertmanager within 10 s")
            pipeline.submit(.vantageHealth(vantage: "hanoi-1", healthy: true, at: WallClock.now()))
            let resolved = try await eventually(within: 10) {
                try await alertmanager.alert(matching: ["alertname": "VantageUnhealthy"]) == nil
            }
            #expect(resolved, "the resolve did not reach Alertmanager within 10 s")
            #expect(await dispatcher.pending.isEmpty)
            #expect(pipeline.droppedEvents == 0)
            group.cancelAll()
        }
    }
}
