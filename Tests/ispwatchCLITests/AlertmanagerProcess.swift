import Foundation

/// A real Alertmanager on 127.0.0.1 for the `run` tests, on a free port, with its storage and a
/// minimal configuration in a temporary directory; stoppable and restartable on the same port and
/// storage. Read through its API with curl; every wait is a `Task.sleep`, so a test waiting on it
/// holds no thread of the cooperative pool (the test process shares that pool with the async tests).
final class AlertmanagerProcess {
    private let daemon: LoopbackDaemon

    var port: Int { daemon.port }
    var directory: String { daemon.directory }
    var baseURL: String { "http://127.0.0.1:\(port)" }

    init() throws {
        daemon = try LoopbackDaemon(
            name: "Alertmanager", binary: "/usr/bin/prometheus-alertmanager", package: "prometheus-alertmanager")
        // No notification is sent anywhere: the tests read what Alertmanager holds through its API.
        try "route:\n  receiver: \"null\"\nreceivers:\n  - name: \"null\"\n"
            .write(toFile: directory + "/alertmanager.yml", atomically: true, encoding: .utf8)
    }

    /// Starts it and waits (at most 15 s) until `/-/ready` answers 200.
    func start() async throws {
        try await daemon.start(arguments: [
            "--config.file=\(directory)/alertmanager.yml", "--storage.path=\(directory)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
        ], timeout: 15)
    }

    /// Stops it (SIGTERM) and waits for it to exit.
    func stop() { daemon.stop() }

    /// `GET /api/v2/alerts`: the alerts it holds as active (resolved ones are not listed).
    func alerts() throws -> [[String: Any]] {
        let fetch = try ChildCommand.run("/usr/bin/curl", ["-sf", baseURL + "/api/v2/alerts"])
        guard fetch.status == 0,
              let alerts = try JSONSerialization.jsonObject(with: Data(fetch.output.utf8)) as? [[String: Any]]
        else { throw CLITestError("GET /api/v2/alerts failed (curl \(fetch.status)): \(fetch.output)") }
        return alerts
    }

    /// The alert whose labels include `labels`, if Alertmanager lists it.
    func alert(matching labels: [String: String]) throws -> [String: Any]? {
        try alerts().first { alert in
            let have = alert["labels"] as? [String: String] ?? [:]
            return labels.allSatisfy { have[$0.key] == $0.value }
        }
    }

    /// Polls every 100 ms, up to `timeout` seconds, until `condition` holds; returns when it held.
    func waitUntil(timeout: TimeInterval, _ condition: () throws -> Bool) async throws -> Date? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return Date() }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }
}
