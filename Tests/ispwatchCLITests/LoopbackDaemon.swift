import Foundation

/// A real server (Alertmanager, Prometheus) run by a test on 127.0.0.1: a free port, a temporary
/// directory for its files and its log (appended across restarts), started and waited for until its
/// `/-/ready` answers 200, stoppable and restartable on the same port and directory. Every wait is a
/// `Task.sleep`, so a waiting test holds no thread of the cooperative pool.
final class LoopbackDaemon {
    let name: String
    let binary: String
    let port: Int
    let directory: String
    private var process: Process?

    /// Fails, naming the Debian `package`, when `binary` is not installed.
    init(name: String, binary: String, package: String) throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw CLITestError("\(binary) is missing: run scripts/install-deps.sh (Debian package \(package))")
        }
        self.name = name
        self.binary = binary
        port = try FreePort.tcp()
        directory = NSTemporaryDirectory() + "ispwatch-\(package)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// What it logged, for failure messages.
    var log: String { (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? "" }

    /// Starts it with `arguments` and waits (at most `timeout` seconds) until `/-/ready` answers 200.
    func start(arguments: [String], timeout: TimeInterval) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
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
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, process.isRunning {
            let ready = "http://127.0.0.1:\(port)/-/ready"
            if (try? ChildCommand.run("/usr/bin/curl", ["-sf", "-o", "/dev/null", ready]))?.status == 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let output = self.log
        stop()
        throw CLITestError("\(name) did not become ready on port \(port) within \(Int(timeout)) s:\n\(output.suffix(2_000))")
    }

    /// Stops it (SIGTERM) and waits for it to exit.
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }
}
