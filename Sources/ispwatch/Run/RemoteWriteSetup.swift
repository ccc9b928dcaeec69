import ArgumentParser
import Logging
import RemoteWrite
import WatchCore

/// Opens remote-write for `ispwatch run`: the pipeline over `DATA/remote-write`, its observer and its
/// service.
enum RemoteWriteSetup {
    /// The queue's directory under the data directory.
    static func directory(data: String) -> String { data + "/remote-write" }

    /// The observer and service for `settings` (the `--remote-write-*` options, else the
    /// configuration's `remote_write:` section), or `nil` without settings. Exits 2 when the queue
    /// cannot be opened or the sender cannot be set up (bad URL, unreadable credential file).
    static func start(_ settings: RemoteWriteSettings?, data: String)
        throws -> (observer: RemoteWriteObserver, service: RemoteWriteService)?
    {
        guard let settings else { return nil }
        let logger = Logger(label: "ispwatch.remote-write")
        let pipeline: RemoteWritePipeline
        do {
            pipeline = try RemoteWritePipeline(settings: settings, directory: directory(data: data), logger: logger)
        } catch {
            ConfigurationFiles.printError("ispwatch run: cannot start remote-write (queue \(directory(data: data))): \(error)")
            throw ExitCode(2)
        }
        if let recovery = pipeline.recoveryDescription {
            logger.notice("remote-write queue recovered", metadata: ["remote_write.recovery": "\(recovery)"])
        }
        logger.notice("remote-write enabled", metadata: ["remote_write.url": "\(settings.url)"])
        return (RemoteWriteObserver(pipeline: pipeline), RemoteWriteService(pipeline: pipeline, logger: logger))
    }
}
