import ArgumentParser
import Foundation
import WatchCore

/// Reads configuration files for the commands that take `--config`. WatchCore parses; this is
/// where the files are read, so that every command reports an unreadable or invalid file alike.
enum ConfigurationFiles {
    /// Reads every file. Each file that cannot be read is reported on stderr; if any could not be
    /// read, throws exit status 2 after reporting them all.
    static func read(_ paths: [String], command: String) throws -> [ConfigurationSource] {
        var sources: [ConfigurationSource] = []
        var unreadable = false
        for path in paths {
            do {
                sources.append(ConfigurationSource(path: path, text: try String(contentsOfFile: path, encoding: .utf8)))
            } catch {
                printError("ispwatch \(command): cannot read \(path): \(reason(error, path: path))")
                unreadable = true
            }
        }
        if unreadable { throw ExitCode(2) }
        return sources
    }

    /// Reads and loads the files as one configuration; every problem goes to stderr as
    /// `file:line:column: field: message`, then exit status 2 (a configuration error).
    static func load(_ paths: [String], command: String) throws -> Configuration {
        let sources = try read(paths, command: command)
        do throws(ConfigurationError) {
            return try Configuration.load(sources)
        } catch {
            for issue in error.issues { printError(issue.description) }
            throw ExitCode(2)
        }
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Why `path` could not be read, in the words of `cat` rather than of Foundation.
    private static func reason(_ error: any Error, path: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file" }
        if isDirectory.boolValue { return "is a directory" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain && nsError.code == NSFileReadInapplicableStringEncodingError {
            return "not UTF-8 text"
        }
        return nsError.localizedDescription
    }
}
