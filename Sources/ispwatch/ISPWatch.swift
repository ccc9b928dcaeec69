import ArgumentParser
import Foundation

/// The `ispwatch` command line.
///
/// Exit statuses follow the tools its users know (curl, dig, promtool): 0 success, 1 the thing
/// checked failed (a probe, a configuration check), 2 a usage or configuration error.
@main
struct ISPWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ispwatch",
        abstract: "Probe ISP service availability: DNS resolvers, web portals, service endpoints.",
        version: version,
        subcommands: [
            RunCommand.self, ProbeCommand.self, CheckConfigCommand.self, StoreCommand.self, ExportCommand.self,
            ImportCommand.self, SynthCommand.self, ReportCommand.self, QueryCommand.self, AlertsCommand.self,
            ServeCommand.self, TokenCommand.self,
            LabCommand.self, DemoCommand.self,
            RulesCommand.self,
        ]
    )

    /// The version reported by `--version` and on `/metrics` (`ispwatch_build_info`).
    static let version = "0.4.0-dev"

    /// Runs the command, mapping argument-parser's usage errors (its exit status 64) to 2.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
