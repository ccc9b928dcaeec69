import Foundation

/// An `ispwatch` process for the long-running verbs (`demo`, `lab`): stdout and stderr to files,
/// awaited with `Task.sleep` so that a minute-long run holds no thread of the cooperative pool.
final class DemoProcess {
    let process = Process()
    let outputPath: String
    let errorPath: String

    /// Starts `ispwatch arguments…` in `directory`.
    init(_ arguments: [String], in directory: TemporaryDirectory) throws {
        guard let path = ISPWatchBinary.path else { throw CLITestFailure.binaryMissing }
        let name = UUID().uuidString
        outputPath = directory.path + "/.stdout-\(name)"
        errorPath = directory.path + "/.stderr-\(name)"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        try ISPWatchBinary.launch(process, path: path, arguments, in: directory, standardOutput: outputPath,
                                  standardError: errorPath)
    }

    var standardOutput: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Waits until stdout contains `text`; throws after `timeout` or when the process ended.
    func waitForOutput(_ text: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if standardOutput.contains(text) { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CLITestError("ispwatch never printed \"\(text)\"; stdout:\n\(standardOutput)\nstderr:\n\(standardError)")
    }

    /// Waits for the exit status; kills the process and throws after `timeout`.
    func exitStatus(within timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            throw CLITestError("ispwatch did not exit within \(timeout); stderr:\n\(standardError)")
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
