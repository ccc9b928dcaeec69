import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server (nginx, nsd) that a test runs as a child process for the length of a scope.
struct ChildProcess {
    private let process: Process

    /// Whether the server is still running (it exits early on a bad configuration or a taken port).
    var isRunning: Bool { process.isRunning }

    /// Starts `executable` with `arguments` (output discarded), runs `body`, and kills the server
    /// and every process it forked when the scope ends, whether `body` throws or not.
    ///
    /// - Throws: `TestFixtureError` when the program is missing (telling to run
    ///   scripts/install-deps.sh) or does not lead its own process group.
    static func with<Result>(
        _ executable: String, _ arguments: [String], _ body: (ChildProcess) async throws -> Result
    ) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestDependency.executable(executable))
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Foundation starts the child as the leader of its own process group, so one SIGKILL to the
        // group ends the server and the workers it forks (nginx's workers, nsd's server and xfrd
        // processes). SIGTERM is not enough: the test runner's blocked signal mask is inherited
        // across exec, and nsd never sees it.
        let pid = process.processIdentifier
        let leadsItsGroup = getpgid(pid) == pid
        defer {
            kill(leadsItsGroup ? -pid : pid, SIGKILL)
            process.waitUntilExit()
        }
        guard leadsItsGroup else {
            throw TestFixtureError("\(executable) does not lead its own process group; cannot kill it reliably")
        }
        return try await body(ChildProcess(process: process))
    }

    /// Asks `isReady` every `interval` until it says yes (true), or the server exits, `timeout`
    /// passes or the task is cancelled (false).
    func waitUntil(
        timeout: Duration, interval: Duration = .milliseconds(20), _ isReady: () async -> Bool
    ) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline && isRunning && !Task.isCancelled {
            if await isReady() { return true }
            try? await Task.sleep(for: interval)
        }
        return false
    }
}
