import Alerting
import Logging
import ServiceLifecycle

/// The alert pipeline as a service of `ispwatch run`: it runs until graceful shutdown, which comes
/// after the probe loop's (it is listed before the loop), so the last results are evaluated.
/// Notifications still pending stay in the outboxes for the next start.
struct AlertingService: Service {
    let pipeline: AlertPipeline
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await pipeline.run() }
        } catch is CancellationError {
            // The shutdown's own cancellation: a normal end.
        }
        var pending = 0
        for dispatcher in pipeline.dispatchers.values { pending += await dispatcher.pending.count }
        logger.notice("alerting stopped", metadata: ["alert.pending": "\(pending)", "alert.events.dropped": "\(pipeline.droppedEvents)"])
    }
}
