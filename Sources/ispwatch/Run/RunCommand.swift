import Alerting
import ArgumentParser
import Foundation
import LiveMetrics
import Logging
import Probing
import SeriesStore
import ServiceLifecycle
import WatchCore
import WatchDaemon

/// `ispwatch run`: the continuous prober of one vantage.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Probe every configured target on its schedule, store every result, serve live metrics.",
        discussion: """
            Runs until SIGTERM or SIGINT, then lets the probes in flight finish (each within its
            timeout), flushes the store and exits 0. SIGHUP reloads the configuration files: added,
            removed and changed targets take effect at once, history is kept; an invalid new
            configuration is refused (logged, counted on /metrics) and the running one stays.

            With an alerting: section, alerts are evaluated on every result and sent to its receivers
            through one outbox per receiver under DATA/alerts (see `ispwatch alerts`); notifications not
            yet delivered at exit are sent at the next start.

            Example, on loopback only:
              ispwatch run --config targets/example.yaml --data /var/lib/ispwatch \\
                           --metrics-address 127.0.0.1:9464
            """
    )

    @Option(name: .long, help: ArgumentHelp("A configuration file (repeatable).", valueName: "file"))
    var config: [String] = []

    @Argument(help: ArgumentHelp("Configuration files, as an alternative to --config.", valueName: "file"))
    var files: [String] = []

    @Option(name: .long, help: ArgumentHelp("The store directory (created if missing).", valueName: "dir"))
    var data: String

    @Option(
        name: .long, help: ArgumentHelp("Where to serve /metrics and /healthz (port 0: any free port).", valueName: "host:port"),
        transform: { try MetricsAddress(parsing: $0) })
    var metricsAddress: MetricsAddress = .default

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Bucket bounds of the per-series latency histogram, comma-separated (or \"none\"). Each bucket is a "
                + "line per series on /metrics: with 100,000 series, fewer buckets keep scrapes smaller.",
            valueName: "durations"),
        transform: { try Self.parseBuckets($0) })
    var latencyBuckets: [Duration] = ProbeMetrics.defaultLatencyBuckets

    @Option(name: .long, help: ArgumentHelp("trace, debug, info, notice, warning, error or critical."))
    var logLevel: String = "info"

    @Flag(name: .long, help: "Do not fsync on every flush (faster; a machine crash may lose the last second).")
    var noSync = false

    @OptionGroup(title: "Prometheus remote-write")
    var remoteWriteOptions: RemoteWriteOptions

    func validate() throws {
        if config.isEmpty && files.isEmpty { throw ValidationError("give at least one configuration file (--config FILE)") }
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level \(logLevel) is not one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        MemoryRelease.limitArenas(to: 2)
        let paths = config + files
        let configuration = try ConfigurationFiles.load(paths, command: "run")
        MemoryRelease.returnFreedMemory()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "ispwatch.run")

        var options = StoreOptions()
        options.syncOnFlush = !noSync
        let writer: StoreWriter
        do {
            writer = try StoreWriter(directory: data, options: StoreSink.storeOptions(options))
        } catch {
            ConfigurationFiles.printError("ispwatch run: cannot open the store in \(data): \(error)")
            throw ExitCode(2)
        }
        if writer.recovery.droppedAnything {
            logger.warning("store recovered from an unclean stop", metadata: ["store.recovery": "\(writer.recovery)"])
        }
        let sink = StoreSink(writer: writer, logger: Logger(label: "ispwatch.store"))

        let remoteWrite = try RemoteWriteSetup.start(
            remoteWriteOptions.settings(syncEveryAppend: !noSync) ?? configuration.remoteWrite, data: data)
        let metrics = ProbeMetrics(latencyBuckets: latencyBuckets)
        let bridge = MetricsBridge(
            metrics: metrics, sink: sink, vantage: configuration.vantage?.id ?? Vantage.unnamedID,
            processStartTime: WallClock.now(), version: ISPWatch.version, remoteWrite: remoteWrite?.observer.pipeline)
        let alerting = try Self.startAlerting(configuration, data: data)
        let observers: [any ProbeObserver] = [bridge] + (alerting.map { [$0.observer] } ?? []) + (remoteWrite.map { [$0.observer] } ?? [])
        let observer: any ProbeObserver = observers.count == 1 ? bridge : FanOutObserver(observers: observers)
        let metricsServer = MetricsServer(address: metricsAddress, metrics: metrics, logger: logger) { address in
            logger.notice("metrics server listening", metadata: [
                "metrics.address": "\(address.ipAddress ?? "?")", "metrics.port": "\(address.port ?? 0)"])
        }
        try await ProbeEngine.withEngine(logger: Logger(label: "ispwatch.probing")) { engine in
            let loop = ProbeLoop(
                configuration: configuration,
                loadConfiguration: {
                    let reloaded = try Self.reloadConfiguration(paths)
                    alerting?.observer.configurationLoaded(reloaded)
                    return reloaded
                },
                engine: engine, sink: sink, observer: observer, logger: logger)
            // Shut down in reverse: the loop drains first, then remote-write queues and sends its last
            // samples, then alerting evaluates its last results, then /metrics stops.
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [.init(service: metricsServer)] + (alerting.map { [.init(service: $0.service)] } ?? [])
                        + (remoteWrite.map { [.init(service: $0.service)] } ?? []) + [.init(service: loop)],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
            logger.notice("ispwatch run started", metadata: [
                "vantage.id": "\(configuration.vantage?.id ?? Vantage.unnamedID)",
                "config.targets": "\(configuration.targets.count)", "store.directory": "\(data)"])
            try await group.run()
        }
        do {
            try sink.close()
        } catch {
            logger.error("store close failed", metadata: ["store.error": "\(error)"])
        }
        let statistics = sink.statistics
        logger.notice("ispwatch run stopped", metadata: [
            "store.flushed": "\(statistics.flushed)", "store.lost": "\(statistics.lost)"])
        if statistics.lost > 0 { throw ExitCode(1) }
    }

    /// The alert pipeline of the `alerting:` section, if there is one: the observer that feeds it
    /// and the service that runs it. Exits 2 when an outbox cannot be opened.
    private static func startAlerting(
        _ configuration: Configuration, data: String
    ) throws -> (observer: AlertingObserver, service: AlertingService)? {
        guard let settings = configuration.alerting else { return nil }
        let logger = Logger(label: "ispwatch.alerting")
        let pipeline: AlertPipeline
        do {
            pipeline = try AlertingSetup.pipeline(settings, configuration: configuration, data: data, logger: logger)
        } catch {
            ConfigurationFiles.printError("ispwatch run: cannot open the alert outbox under \(data)/alerts: \(error)")
            throw ExitCode(2)
        }
        return (AlertingObserver(pipeline: pipeline, vantage: configuration.vantage?.id ?? Vantage.unnamedID),
                AlertingService(pipeline: pipeline, logger: logger, data: data))
    }

    /// `5ms,50ms,1s` or `none`.
    private static func parseBuckets(_ text: String) throws -> [Duration] {
        if text == "none" { return [] }
        return try text.split(separator: ",").map { part in
            guard let duration = DurationSyntax.parse(String(part.trimmingCharacters(in: .whitespaces))),
                  duration > .zero
            else { throw ValidationError("--latency-buckets: \"\(part)\" is not a positive duration like 50ms") }
            return duration
        }
    }

    /// Reads and validates the files again (SIGHUP); throws the problems as one readable error.
    private static func reloadConfiguration(_ paths: [String]) throws -> Configuration {
        var sources: [ConfigurationSource] = []
        for path in paths {
            sources.append(ConfigurationSource(path: path, text: try String(contentsOfFile: path, encoding: .utf8)))
        }
        defer { MemoryRelease.returnFreedMemory() }
        return try Configuration.load(sources)
    }
}
