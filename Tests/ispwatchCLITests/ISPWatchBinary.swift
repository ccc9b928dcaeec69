import Foundation
import Testing

/// What one run of the `ispwatch` binary did.
struct CommandRun {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs the built `ispwatch` executable, the way a user does. Executable targets cannot be
/// imported by tests, and the verbs' contract (stdout, stderr, exit status) is what is under test.
enum ISPWatchBinary {
    /// The binary: next to the test bundle, or in the package's `.build/debug`.
    static let path: String? = {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidates = [
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
            packageRoot.appendingPathComponent(".build/debug"),
        ].map { $0.appendingPathComponent("ispwatch").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Starts `process` as `path arguments…` in `directory`, with no input and its output in files
    /// (`nil`: discarded), never pipes: a server it starts could inherit a pipe and keep it open.
    static func launch(
        _ process: Process, path: String, _ arguments: [String], in directory: TemporaryDirectory,
        standardOutput: String?, standardError: String
    ) throws {
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        process.standardOutput = try standardOutput.map { try FileHandle(forWritingTo: URL(fileURLWithPath: $0)) }
            ?? FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: standardError))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Runs `ispwatch arguments…` to completion; stdout and stderr go to files so that a large
    /// output cannot block the child on a full pipe.
    ///
    /// A run that outlives `timeout` is killed and fails the test: no CLI verb may hang.
    static func run(_ arguments: [String], in directory: TemporaryDirectory, timeout: TimeInterval = 120) throws
        -> CommandRun
    {
        guard let path else {
            Issue.record("ispwatch not found next to the test bundle or in .build/debug; run `swift build` first")
            throw CLITestFailure.binaryMissing
        }
        let outputPath = directory.path + "/.stdout-\(UUID().uuidString)"
        let errorPath = directory.path + "/.stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        let process = Process()
        try launch(process, path: path, arguments, in: directory, standardOutput: outputPath, standardError: errorPath)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            throw CLITestError("ispwatch \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        return CommandRun(
            status: process.terminationStatus,
            standardOutput: try String(contentsOfFile: outputPath, encoding: .utf8),
            standardError: try String(contentsOfFile: errorPath, encoding: .utf8)
        )
    }

    /// Runs `ispwatch arguments…` in a fresh temporary directory, removed afterwards.
    static func run(_ arguments: [String], timeout: TimeInterval = 120) throws -> CommandRun {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        return try run(arguments, in: directory, timeout: timeout)
    }
}

enum CLITestFailure: Error {
    case binaryMissing
}

struct CLITestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "ispwatch-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    func read(_ name: String) throws -> String { try String(contentsOfFile: file(name), encoding: .utf8) }

    func write(_ name: String, _ text: String) throws { try text.write(toFile: file(name), atomically: true, encoding: .utf8) }
}
