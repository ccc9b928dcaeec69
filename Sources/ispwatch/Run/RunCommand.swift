import Alerting
import ArgumentParser
import Foundation
import LiveMetrics
import Logging
import Probing
import Scheduling
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
        name: .long, help: ArgumentHelp("Also serve the status pages and API of `ispwatch serve` here.", valueName: "host:port"),
        transform: { try MetricsAddress(parsing: $0) })
    var serveAddress: MetricsAddress?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Bucket bounds of the per-series latency histogram, comma-separated (or \"none\"). Each bucket is a "
                + "line per series on /metrics: with 100,000 series, fewer buckets keep scrapes smaller.",
            valueName: "durations"),
        transform: { try Self.parseBuckets($0) })
    var latencyBuckets: [Duration] = ProbeMetrics.defaultLatencyBuckets

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Probe only shard i of n of the targets (numbered from 1: 1/3, 2/3, 3/3), by rendezvous hashing of "
                + "each series; control probes run on every shard. See docs/OPERATIONS.md.",
            valueName: "i/n"),
        transform: { text in
            do { return try Shard(parsing: text) } catch { throw ValidationError("\(error)") }
        })
    var shard: Shard?

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
        MemoryRelease.fixMappedAllocationThreshold()
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
        let session = ProbingSession(
            configuration: configuration, reloadConfiguration: { try Self.reloadConfiguration(paths) }, data: data,
            storeOptions: options, metricsAddress: metricsAddress, latencyBuckets: latencyBuckets,
            serveAddress: serveAddress, shard: shard,
            remoteWrite: remoteWriteOptions.settings(syncEveryAppend: !noSync) ?? configuration.remoteWrite)
        let statistics = try await session.run(logger: logger)
        logger.notice("ispwatch run stopped", metadata: [
            "store.flushed": "\(statistics.flushed)", "store.lost": "\(statistics.lost)"])
        if statistics.lost > 0 { throw ExitCode(1) }
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
