import ArgumentParser
import Foundation

/// The store directory every store verb takes as its first argument.
struct StoreDirectoryOptions: ParsableArguments {
    @Argument(help: "The store directory.")
    var directory: String

    /// Fails with exit status 2 unless the directory exists (reading verbs never create a store).
    func requireExistingStore(command: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            CommandDiagnostics.printError("ispwatch \(command): \(directory): no such store directory")
            throw ExitCode(2)
        }
    }
}

/// `--json` for verbs whose result can be read by machines.
struct JSONOutputOptions: ParsableArguments {
    @Flag(help: "Print the result as JSON on stdout.")
    var json = false
}
