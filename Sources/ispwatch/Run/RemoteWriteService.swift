import Foundation
import Logging
import RemoteWrite
import ServiceLifecycle

/// Remote-write as a service of `ispwatch run`: its writer and sender run on two threads of their
/// own (the sender blocks in libcurl, the writer in fsync; neither belongs on the cooperative pool).
/// Listed before the probe loop, so its graceful shutdown comes after the loop's: the last results
/// are flushed to the queue, then sent for at most the drain timeout; the rest stays on disk.
struct RemoteWriteService: Service {
    let pipeline: RemoteWritePipeline
    let logger: Logger

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await Self.onThread("ispwatch-remote-write-queue") { pipeline.runWriter() } }
            group.addTask { await Self.onThread("ispwatch-remote-write-sender") { pipeline.runSender() } }
            group.addTask {
                // Throws only when cancelled, which also means stop.
                try? await gracefulShutdown()
                pipeline.stop()
            }
            await group.waitForAll()
        }
        let figures = pipeline.figures
        logger.notice("remote-write stopped", metadata: [
            "remote_write.sent": "\(figures.samplesSent)", "remote_write.waiting": "\(figures.samplesWaiting)",
            "remote_write.dropped": "\(figures.samplesDropped)", "remote_write.refused": "\(figures.samplesRefused)"])
    }

    /// Runs `body` on a new thread and resumes when it returns.
    private static func onThread(_ name: String, _ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                body()
                continuation.resume()
            }
            thread.name = name
            thread.start()
        }
    }
}
