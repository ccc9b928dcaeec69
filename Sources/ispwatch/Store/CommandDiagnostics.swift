import ArgumentParser
import Foundation
import SeriesStore

/// Diagnostics of the store verbs: one line each on stderr, prefixed `ispwatch <verb>:`.
enum CommandDiagnostics {
    /// Writes `message` and a line break to stderr.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Runs `body`, turning a store or file error into a one-line diagnostic and exit status 1 (the
    /// store could not be read or written), as curl does for a transfer that fails.
    static func reportingFailures<Result>(command: String, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as StoreError {
            printError("ispwatch \(command): \(error.description)")
            throw ExitCode(1)
        } catch let error as CommandFailure {
            printError("ispwatch \(command): \(error.message)")
            throw ExitCode(error.exitCode)
        } catch {
            printError("ispwatch \(command): \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }

    /// Renders an integer with thousands separators, for humans (`1,234,567`).
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(character)
        }
        return value < 0 ? "-" + grouped : grouped
    }
}

/// A failure of a store verb with its message and exit status.
struct CommandFailure: Error {
    /// What went wrong, for the diagnostic line.
    var message: String
    /// 1 when the work failed, 2 for a usage error.
    var exitCode: Int32
}
