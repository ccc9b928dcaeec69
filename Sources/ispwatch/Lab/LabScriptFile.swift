import ArgumentParser
import Foundation
import ISPLab

/// Reads a fault script for `lab` and `demo`, reporting a bad one as `file:line:column: message`
/// (exit status 2).
enum LabScriptFile {
    static func load(_ path: String, command: String) throws -> FaultScript {
        let sources = try ConfigurationFiles.read([path], command: command)
        do throws(FaultScriptError) {
            return try FaultScript.parse(sources[0].text, path: path)
        } catch {
            ConfigurationFiles.printError(error.description)
            throw ExitCode(2)
        }
    }
}
