import ArgumentParser
import Foundation
import LiveMetrics
import Logging
import ServiceLifecycle
import WatchCore
import WatchServer

/// `ispwatch serve`: the status pages and the SLA API over stores, with per-provider access.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve status pages and the SLA API (per-provider access) over stored results.",
        discussion: """
            Reads the stores given with --data (one per vantage), which a running `ispwatch run` may be \
            writing at the same time, and answers on --address until SIGTERM or SIGINT. Who may read what \
            is set by the server: section of the configuration (tokens as sha256 hashes with a role, admin \
            or provider:<id>; public status pages; request size and rate limits): docs/API.md.

            Example, on loopback only:
              ispwatch serve --config vn-isps.yaml --data /var/lib/ispwatch --address 127.0.0.1:8080
            """
    )

    @Option(name: .long, help: ArgumentHelp("A configuration file (repeatable).", valueName: "file"))
    var config: [String] = []

    @Option(name: .customLong("data"), help: ArgumentHelp("A store directory (repeat for several vantages).", valueName: "dir"))
    var dataDirectories: [String] = []

    @Option(name: .long, help: ArgumentHelp("Where to listen (port 0: any free port).", valueName: "host:port"),
            transform: { try MetricsAddress(parsing: $0) })
    var address = MetricsAddress(host: "127.0.0.1", port: 8080)

    @Option(name: .long, help: ArgumentHelp("trace, debug, info, notice, warning, error or critical."))
    var logLevel: String = "info"

    func validate() throws {
        if config.isEmpty { throw ValidationError("give at least one configuration file (--config FILE)") }
        if dataDirectories.isEmpty { throw ValidationError("give at least one --data DIR") }
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level \(logLevel) is not one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        let configuration = try ConfigurationFiles.load(config, command: "serve")
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "ispwatch.serve")
        if configuration.server == nil {
            logger.warning("no server: section in the configuration: every page and API route will answer 401")
        }
        let server = WatchServerService(configuration: configuration, dataDirectories: dataDirectories, address: address,
                                        logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
