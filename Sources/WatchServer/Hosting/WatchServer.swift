import Hummingbird
import LiveMetrics
import Logging
import NIOCore
import ServiceLifecycle
import WatchCore

/// `ispwatch serve` and `ispwatch run --serve-address`: the status pages and the API on Hummingbird,
/// as a ServiceLifecycle service.
public struct WatchServerService: Service {
    /// Where the server listens, once it has bound.
    public let boundAddress: BoundAddress
    private let application: Application<HummingbirdResponder>

    /// Creates the service; nothing listens before ``run()``.
    ///
    /// - Parameters:
    ///   - configuration: providers, targets and the `server:` section (tokens, public pages, limits).
    ///   - dataDirectories: the stores to read (one per vantage); a running `ispwatch run` may be
    ///     writing them.
    ///   - address: where to listen; port 0 lets the system choose (see ``boundAddress``).
    ///   - logger: where the listening address goes.
    ///   - probeMetrics: inside `ispwatch run`, the live registry `/metrics` serves too.
    public init(
        configuration: Configuration, dataDirectories: [String], address: MetricsAddress, logger: Logger,
        probeMetrics: ProbeMetrics? = nil
    ) {
        let bound = BoundAddress()
        boundAddress = bound
        let routes = WatchRoutes(configuration: configuration, dataDirectories: dataDirectories, probeMetrics: probeMetrics)
        application = Application(
            responder: HummingbirdResponder(routes: routes),
            configuration: ApplicationConfiguration(address: .hostname(address.host, port: address.port), serverName: nil),
            onServerRunning: { channel in
                let local = channel.localAddress
                bound.set(host: local?.ipAddress ?? address.host, port: local?.port ?? address.port)
                logger.notice("serving status pages and API", metadata: [
                    "serve.host": "\(local?.ipAddress ?? address.host)", "serve.port": "\(local?.port ?? address.port)"])
            },
            logger: logger)
    }

    /// Serves until graceful shutdown or cancellation.
    public func run() async throws {
        try await application.run()
    }
}

/// The entry points of the server for other modules (`ispwatch serve`, `run`, `demo`).
public enum WatchServer {
    /// A server over `dataDirectory` at `address` (`HOST:PORT`; port 0 for any), as a Service to run
    /// in a ServiceGroup; its ``WatchServerService/boundAddress`` tells the port chosen.
    public static func makeService(
        configuration: Configuration, dataDirectory: String, address: MetricsAddress, logger: Logger
    ) -> WatchServerService {
        WatchServerService(configuration: configuration, dataDirectories: [dataDirectory], address: address, logger: logger)
    }
}
