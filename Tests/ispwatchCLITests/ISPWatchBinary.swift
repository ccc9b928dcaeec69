import Foundation
import Testing

/// Runs the built `ispwatch` executable as a user would, and captures what it prints.
///
/// SwiftPM builds every product before it runs tests, so the binary sits next to the test bundle
/// in the build folder.
struct ISPWatchBinary {
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static var path: String {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // Inside an .xctest bundle on Linux the bundle itself is the executable; walk up to the
        // build folder that holds both it and `ispwatch`.
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: folder.appendingPathComponent("ispwatch").path) {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("ispwatch").path
    }

    /// Runs `ispwatch arguments…` to completion (killed after `timeout`).
    static func run(_ arguments: [String], timeout: TimeInterval = 60) throws -> Outcome {
        // Output goes to files rather than pipes, so a chatty child never blocks on a full pipe.
        let base = NSTemporaryDirectory() + "ispwatch-cli-out-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: base + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: base + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: base + ".out")
        process.standardError = FileHandle(forWritingAtPath: base + ".err")
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            throw CLITestError("ispwatch \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        return Outcome(
            status: process.terminationStatus,
            standardOutput: (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")
    }
}

struct CLITestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
