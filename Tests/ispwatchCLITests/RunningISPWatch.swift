import Foundation

/// An `ispwatch` process left running (for `ispwatch run`), signalled and awaited by the test.
final class RunningISPWatch {
    let process = Process()
    let errorPath: String

    /// Starts `ispwatch arguments…` in `directory`; stderr goes to a file there.
    init(_ arguments: [String], in directory: TemporaryDirectory) throws {
        guard let path = ISPWatchBinary.path else { throw CLITestFailure.binaryMissing }
        errorPath = directory.path + "/.run-stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        try ISPWatchBinary.launch(process, path: path, arguments, in: directory, standardOutput: nil,
                                  standardError: errorPath)
    }

    /// What the process logged so far.
    var standardError: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the log to contain `text`, up to `timeout` seconds.
    func waitForLog(_ text: String, timeout: TimeInterval = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if standardError.contains(text) { return }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        throw CLITestError("ispwatch never logged \"\(text)\"; its log:\n\(standardError)")
    }

    /// The port of `/metrics`, from the log line the server writes once bound.
    func metricsPort() throws -> Int {
        try loggedPort(after: "metrics server listening", field: "metrics.port")
    }

    /// The port in `field=` of the log line containing `message`, waiting for that line.
    func loggedPort(after message: String, field: String) throws -> Int {
        try waitForLog(message)
        for line in standardError.split(separator: "\n") where line.contains(message) {
            if let value = line.split(separator: " ").first(where: { $0.hasPrefix(field + "=") }),
               let port = Int(value.dropFirst(field.count + 1)) {
                return port
            }
        }
        throw CLITestError("no \(field) in the log:\n\(standardError)")
    }

    /// Waits for the process to exit and returns its status; kills it and throws after `timeout`.
    func waitForExit(timeout: TimeInterval = 20) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            throw CLITestError("ispwatch did not exit within \(timeout) s; its log:\n\(standardError)")
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

extension LabServers {
    /// Stops nginx (the HTTP target goes down: connections are refused).
    func stopNginx() {
        if let text = try? String(contentsOfFile: directory + "/nginx.pid", encoding: .utf8),
           let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            kill(-pid, SIGKILL)
            // Until the kernel has closed the listening socket the port may still accept.
            var status: Int32 = 0
            for _ in 0..<100 where kill(pid, 0) == 0 {
                _ = waitpid(pid, &status, WNOHANG)
                usleep(10_000)
            }
        }
    }

    /// Starts nginx again with the same configuration (and records its pid for the cleanup) and waits
    /// until it answers.
    func startNginx() throws {
        let nginx = "\(directory)/nginx"
        let status = system("setsid /usr/sbin/nginx -p '\(nginx)' -c '\(nginx)/nginx.conf' -g 'daemon off;' "
                            + "</dev/null >/dev/null 2>&1 & echo $! > '\(directory)/nginx.pid'; "
                            + "for i in $(seq 100); do curl -sf http://127.0.0.1:\(httpPort)/ >/dev/null && exit 0; "
                            + "sleep 0.05; done; exit 1")
        guard status == 0 else { throw CLITestError("nginx did not come back on port \(httpPort)") }
    }
}

/// A short-lived helper program (curl, promtool), its output captured.
enum ChildCommand {
    /// Fetches `/metrics` from `127.0.0.1:port` with curl into `metrics.txt` of `directory` and returns it.
    static func scrapeMetrics(port: Int, into directory: TemporaryDirectory) throws -> String {
        let fetch = try run("/usr/bin/curl", ["-sf", "-o", directory.file("metrics.txt"), "http://127.0.0.1:\(port)/metrics"])
        guard fetch.status == 0 else { throw CLITestError("curl /metrics failed: \(fetch.output)") }
        return try directory.read("metrics.txt")
    }

    static func run(_ path: String, _ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CLITestError("\(path) is missing: run scripts/install-deps.sh")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = try input.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) } ?? FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
