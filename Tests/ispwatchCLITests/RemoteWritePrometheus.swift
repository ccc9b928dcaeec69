import Foundation

/// A real Prometheus on 127.0.0.1 receiving remote-write (`--web.enable-remote-write-receiver`), on a
/// free port, with its own TSDB directory and an empty scrape configuration; stoppable and
/// restartable on the same port and TSDB. Queried through its HTTP API with curl; every wait is a
/// `Task.sleep`.
final class RemoteWritePrometheus {
    static let binary = "/usr/bin/prometheus"

    let port: Int
    let directory: String
    private var process: Process?

    var writeURL: String { "http://127.0.0.1:\(port)/api/v1/write" }

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw CLITestError("\(Self.binary) is missing: run scripts/install-deps.sh (Debian package prometheus)")
        }
        port = try FreePort.tcp()
        directory = NSTemporaryDirectory() + "ispwatch-prometheus-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Nothing to scrape: every series comes in through remote-write.
        try "global: {}\n".write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts it and waits (at most 20 s) until `/-/ready` answers 200.
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/tsdb",
            "--web.listen-address=127.0.0.1:\(port)", "--web.enable-remote-write-receiver",
        ]
        if !FileManager.default.fileExists(atPath: directory + "/log") {
            _ = FileManager.default.createFile(atPath: directory + "/log", contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/log"))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, process.isRunning {
            if (try? ChildCommand.run("/usr/bin/curl", ["-sf", "-o", "/dev/null", "http://127.0.0.1:\(port)/-/ready"]))?.status == 0 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw CLITestError("Prometheus did not become ready on port \(port) within 20 s:\n\(self.log.tail)")
    }

    /// What it logged, for failure messages.
    var log: String { (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? "" }

    /// Stops it (SIGTERM) and waits for it to exit.
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

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

private extension String {
    /// The last 2,000 characters.
    var tail: String { String(suffix(2_000)) }
}
