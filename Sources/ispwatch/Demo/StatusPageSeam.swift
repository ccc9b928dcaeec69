import Foundation
import WatchCore

/// Where `ispwatch demo` serves the status page after its timeline. The status server
/// (`WatchServer`) is not in this build; the integrator replaces the body with its start-up:
/// serve `data` with `configuration` on `address` until Ctrl-C.
enum StatusPageSeam {
    /// Serves the status page of the store `data` until SIGINT/SIGTERM; without a status server in
    /// the build, says so and returns at once.
    ///
    /// - Parameters:
    ///   - data: the demo's store directory.
    ///   - configuration: the demo's configuration (providers, targets, alerting).
    ///   - configurationFiles: the files it was loaded from.
    ///   - address: the loopback `host:port` to listen on.
    static func serve(data: String, configuration: Configuration, configurationFiles: [String], address: String) async throws {
        FileHandle.standardError.write(Data("status page: not available in this build\n".utf8))
    }
}
