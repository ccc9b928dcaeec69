import Foundation

/// A real Prometheus on 127.0.0.1 receiving remote-write (`--web.enable-remote-write-receiver`), on a
/// free port, with its own TSDB directory and an empty scrape configuration; stoppable and
/// restartable on the same port and TSDB. Queried through its HTTP API with curl; every wait is a
/// `Task.sleep`.
final class RemoteWritePrometheus {
    private let daemon: LoopbackDaemon

    var port: Int { daemon.port }
    var writeURL: String { "http://127.0.0.1:\(port)/api/v1/write" }

    init() throws {
        daemon = try LoopbackDaemon(name: "Prometheus", binary: "/usr/bin/prometheus", package: "prometheus")
        // Nothing to scrape: every series comes in through remote-write.
        try "global: {}\n".write(toFile: daemon.directory + "/prometheus.yml", atomically: true, encoding: .utf8)
    }

    /// Starts it and waits (at most 20 s) until `/-/ready` answers 200.
    func start() async throws {
        let directory = daemon.directory
        try await daemon.start(arguments: [
            "--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/tsdb",
            "--web.listen-address=127.0.0.1:\(port)", "--web.enable-remote-write-receiver",
        ], timeout: 20)
    }

    /// What it logged, for failure messages.
    var log: String { daemon.log }

    /// Stops it (SIGTERM) and waits for it to exit.
    func stop() { daemon.stop() }

    /// An instant query evaluated at `time` (Unix seconds): each result's labels and value.
    func query(_ promql: String, at time: Double) throws -> [(labels: [String: String], value: Double)] {
        let run = try ChildCommand.run("/usr/bin/curl", [
            "-sf", "--get", "http://127.0.0.1:\(port)/api/v1/query",
            "--data-urlencode", "query=\(promql)", "--data-urlencode", "time=\(String(format: "%.3f", time))",
        ])
        guard run.status == 0,
              let json = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any],
              let data = json["data"] as? [String: Any], let results = data["result"] as? [[String: Any]]
        else { throw CLITestError("query \(promql) failed: \(run.output)") }
        return results.map { result in
            let pair = result["value"] as? [Any] ?? []
            return (result["metric"] as? [String: String] ?? [:], Double(pair.last as? String ?? "") ?? .nan)
        }
    }
}
