import Foundation
import Testing

/// Debian's `chromium`, run headless with the network shut: every host name resolves to nothing,
/// so a page that tried to fetch anything would show the hole instead of the resource.
enum HeadlessChromium {
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map(String.init)
        return (directories + ["/usr/bin"]).map { $0 + "/chromium" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Runs chromium on `url` with `arguments` (e.g. `--dump-dom`) and returns its stdout.
    ///
    /// - Throws: when chromium is missing (run scripts/install-deps.sh), fails, or outlives `timeout`.
    static func run(_ arguments: [String], url: String, in directory: TemporaryDirectory, timeout: TimeInterval = 90) throws
        -> String
    {
        guard let path else {
            Issue.record("chromium is not installed: run scripts/install-deps.sh (Debian package chromium)")
            throw CLITestError("chromium missing")
        }
        let profile = directory.file("chromium-profile-\(UUID().uuidString)")
        let outputPath = directory.file(".chromium-out-\(UUID().uuidString)")
        let errorPath = directory.file(".chromium-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--disable-component-update",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=\(profile)",
        ] + arguments + [url]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw CLITestError("chromium \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        let output = try String(contentsOfFile: outputPath, encoding: .utf8)
        guard process.terminationStatus == 0 else {
            let error = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw CLITestError("chromium exited \(process.terminationStatus): \(error.suffix(2_000))")
        }
        return output
    }
}
