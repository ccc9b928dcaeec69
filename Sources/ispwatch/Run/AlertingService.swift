import Alerting
import Foundation
import Logging
import ServiceLifecycle
import WatchCore

/// The alert pipeline as a service of `ispwatch run`: it runs until graceful shutdown, which comes
/// after the probe loop's (it is listed before the loop), so the last results are evaluated.
/// Notifications still pending stay in the outboxes for the next start.
struct AlertingService: Service {
    let pipeline: AlertPipeline
    let logger: Logger
    /// The data directory, where the firing alerts are published for `ispwatch alerts`.
    let data: String

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await pipeline.run() }
                    group.addTask { try await publishFiringAlerts() }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
            // The shutdown's own cancellation: a normal end.
        }
        publish(pipeline.firingAlerts)
        var pending = 0
        for dispatcher in pipeline.dispatchers.values { pending += await dispatcher.pending.count }
        logger.notice("alerting stopped", metadata: ["alert.pending": "\(pending)", "alert.events.dropped": "\(pipeline.droppedEvents)"])
    }

    /// Writes the firing alerts to `DATA/alerts/active.json` each second they changed.
    private func publishFiringAlerts() async throws {
        var published: [AlertNotification]?
        while !Task.isCancelled {
            let firing = pipeline.firingAlerts
            if firing != published {
                publish(firing)
                published = firing
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    private func publish(_ alerts: [AlertNotification]) {
        do {
            try ActiveAlertsFile(writtenAt: WallClock.now(), processID: getpid(), alerts: alerts).write(data: data)
        } catch {
            logger.warning("cannot publish the firing alerts", metadata: ["alert.error": "\(error)"])
        }
    }
}
