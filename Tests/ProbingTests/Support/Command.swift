import Foundation

/// Runs a program to completion, for fixture setup (openssl, python3, ip).
enum Command {
    /// Runs `executable` with `arguments` and returns what it wrote to stdout.
    ///
    /// - Throws: `TestFixtureError` when the program is missing (telling to run
    ///   scripts/install-deps.sh), cannot start, or exits non-zero (with its stderr).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], package: String? = nil)
        throws(TestFixtureError) -> String
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestDependency.executable(executable, package: package))
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw TestFixtureError("cannot run \(executable): \(error)") }
        // Both pipes are drained before waiting; the tools run here write a few lines at most,
        // far below the pipe buffer that reading them one after the other could fill.
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFixtureError("\(executable) \(arguments.prefix(3).joined(separator: " ")) … failed: "
                                   + String(decoding: stderr, as: UTF8.self))
        }
        return String(decoding: stdout, as: UTF8.self)
    }
}
