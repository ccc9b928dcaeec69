import Alerting
import ArgumentParser
import Foundation
import LiveMetrics
import Logging
import Synchronization
import Probing
import SeriesStore
import Scheduling
import ServiceLifecycle
import WatchCore
import WatchDaemon

/// One vantage's probing, as `ispwatch run` and `ispwatch demo` both run it: the store, `/metrics`,
/// the alert pipeline of the `alerting:` section and the probe loop, as services of one group.
struct ProbingSession {
    /// The loaded configuration.
    var configuration: Configuration
    /// Reads the configuration again (SIGHUP).
    var reloadConfiguration: @Sendable () throws -> Configuration
    /// The store directory.
    var data: String
    var storeOptions = StoreOptions()
    var metricsAddress: MetricsAddress = .default
    var latencyBuckets: [Duration] = ProbeMetrics.defaultLatencyBuckets
    /// Where the status pages and API of `ispwatch serve` are served inside the session, if anywhere.
    var serveAddress: MetricsAddress?
    /// This process's share of the targets (`--shard i/n`); `nil` probes them all.
    var shard: Shard?
    /// Where probe results are remote-written (`--remote-write-url` or the `remote_write:` section).
    var remoteWrite: RemoteWriteSettings?
    /// Observers fed next to `/metrics` and alerting (the demo's progress display).
    var extraObservers: [any ProbeObserver] = []
    /// Services run in the same group, listed first so they stop last; one that ends with
    /// `.gracefullyShutdownGroup` ends the session (the demo's timer).
    var extraServices: [ServiceGroupConfiguration.ServiceConfiguration] = []
    /// The command name for messages.
    var command = "run"

    /// Runs until SIGTERM/SIGINT (or an extra service ends the group), then drains and closes the
    /// store. Exit status 2 when the store or an outbox cannot be opened.
    ///
    /// - Returns: the store's statistics after close.
    func run(logger: Logger) async throws -> StoreSink.Statistics {
        let writer: StoreWriter
        do {
            writer = try StoreWriter(directory: data, options: StoreSink.storeOptions(storeOptions))
        } catch {
            ConfigurationFiles.printError("ispwatch \(command): cannot open the store in \(data): \(error)")
            throw ExitCode(2)
        }
        if writer.recovery.droppedAnything {
            logger.warning("store recovered from an unclean stop", metadata: ["store.recovery": "\(writer.recovery)"])
        }
        let sink = StoreSink(writer: writer, logger: Logger(label: "ispwatch.store"))

        let remoteWriting = try RemoteWriteSetup.start(remoteWrite, data: data)
        let metrics = ProbeMetrics(latencyBuckets: latencyBuckets)
        let vantage = configuration.vantage?.id ?? Vantage.unnamedID
        let bridge = MetricsBridge(
            metrics: metrics, sink: sink, vantage: vantage, shard: shard, processStartTime: WallClock.now(), version: ISPWatch.version,
            remoteWrite: remoteWriting?.observer.pipeline)
        let alerting = try startAlerting()
        let observers: [any ProbeObserver] = [bridge] + (alerting.map { [$0.observer] } ?? [])
            + (remoteWriting.map { [$0.observer] } ?? []) + extraObservers
        let observer: any ProbeObserver = observers.count == 1 ? bridge : FanOutObserver(observers: observers)
        let metricsServer = MetricsServer(address: metricsAddress, metrics: metrics, logger: logger) { address in
            logger.notice("metrics server listening", metadata: [
                "metrics.address": "\(address.ipAddress ?? "?")", "metrics.port": "\(address.port ?? 0)"])
        }
        let reload = reloadConfiguration
        let runningTargets = Mutex(configuration.targets)
        try await ProbeEngine.withEngine(logger: Logger(label: "ispwatch.probing")) { engine in
            let loop = ProbeLoop(
                configuration: configuration,
                loadConfiguration: {
                    var reloaded = try reload()
                    reloaded.targets = runningTargets.withLock { running in
                        running = reloaded.targets.sharingStorage(with: running)
                        return running
                    }
                    alerting?.observer.configurationLoaded(reloaded)
                    return reloaded
                },
                engine: engine, sink: sink, observer: observer, shard: shard ?? .whole, logger: logger)
            // Shut down in reverse: the loop drains first, then remote-write queues and sends its last
            // samples, then alerting evaluates its last results, then /metrics stops.
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: extraServices + [.init(service: metricsServer)]
                        + RunServeOption.services(address: serveAddress, configuration: configuration, data: data,
                                                  metrics: metrics, logger: logger)
                        + (alerting.map { [.init(service: $0.service)] } ?? [])
                        + (remoteWriting.map { [.init(service: $0.service)] } ?? []) + [.init(service: loop)],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
            logger.notice("ispwatch \(command) started", metadata: [
                "vantage.id": "\(vantage)", "config.targets": "\(configuration.targets.count)", "store.directory": "\(data)",
                "shard": "\(shard ?? .whole)"])
            try await group.run()
        }
        do {
            try sink.close()
        } catch {
            logger.error("store close failed", metadata: ["store.error": "\(error)"])
        }
        return sink.statistics
    }

    /// The alert pipeline of the `alerting:` section, if there is one: the observer that feeds it
    /// and the service that runs it. Exits 2 when an outbox cannot be opened.
    private func startAlerting() throws -> (observer: AlertingObserver, service: AlertingService)? {
        guard let settings = configuration.alerting else { return nil }
        let logger = Logger(label: "ispwatch.alerting")
        let pipeline: AlertPipeline
        do {
            pipeline = try AlertingSetup.pipeline(settings, configuration: configuration, data: data, logger: logger)
        } catch {
            ConfigurationFiles.printError("ispwatch \(command): cannot open the alert outbox under \(data)/alerts: \(error)")
            throw ExitCode(2)
        }
        return (AlertingObserver(pipeline: pipeline, vantage: configuration.vantage?.id ?? Vantage.unnamedID),
                AlertingService(pipeline: pipeline, logger: logger, data: data))
    }
}
