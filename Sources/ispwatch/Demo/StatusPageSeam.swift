import Foundation
import LiveMetrics
import Logging
import ServiceLifecycle
import WatchCore
import WatchServer

/// Where `ispwatch demo` serves the status page after its timeline: the server of `ispwatch serve`
/// over the demo's store, until Ctrl-C.
enum StatusPageSeam {
    /// Serves the status pages and API of the store `data` until SIGINT/SIGTERM, printing the URL.
    ///
    /// - Parameters:
    ///   - data: the demo's store directory.
    ///   - configuration: the demo's configuration (providers, targets, alerting).
    ///   - configurationFiles: the files it was loaded from.
    ///   - address: the loopback `host:port` to listen on (port 0 for any free port).
    static func serve(data: String, configuration: Configuration, configurationFiles: [String], address: String) async throws {
        let listenAddress = try MetricsAddress(parsing: address)
        var demoConfiguration = configuration
        // The demo's providers are simulated: their pages are public, so a newcomer needs no token.
        if demoConfiguration.server == nil { demoConfiguration.server = ServerSettings(publicStatus: .all) }
        let logger = Logger(label: "ispwatch.demo.serve")
        let server = WatchServer.makeService(
            configuration: demoConfiguration, dataDirectory: data, address: listenAddress, logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                let bound = try await server.boundAddress.wait()
                print("status page: http://\(bound.host):\(bound.port)/   (Ctrl-C to stop)")
                // Off a terminal stdout is block-buffered; whoever reads it needs the URL now (nil: every stream).
                fflush(nil)
            }
            try await tasks.waitForAll()
        }
    }
}
