import ArgumentParser
import Foundation
import WatchCore

/// `ispwatch check-config FILE...`: loads configuration files the way `run` will and reports every
/// problem, like `promtool check config`.
///
/// Exit status: 0 when the configuration is valid, 1 when it is not, 2 when a file cannot be read.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check target files for errors without probing anything.",
        discussion: """
            The files are loaded together, as `ispwatch run` loads them: providers and targets from all \
            of them, at most one vantage, ids unique across files. Every problem is printed to stderr as \
            file:line:column: field: message. On success, one summary line per file goes to stdout.

            Example:
              $ ispwatch check-config targets/vn-isps.yaml targets/example.yaml
              targets/vn-isps.yaml: ok: 5 providers, 15 targets, 15 series
              targets/example.yaml: ok: vantage lab-1, 1 provider, 5 targets, 6 series

              $ ispwatch check-config bad.yaml
              bad.yaml:6:14: targets[0].timeout: 10s is not shorter than
                interval 5s; write a timeout below the interval
              bad.yaml:10:5: targets[1].tiemout: unknown key "tiemout";
                did you mean "timeout"?
              bad.yaml: 2 problems

            Exit status: 0 valid, 1 invalid configuration, 2 a file could not be read.
            """
    )

    // Optional to the parser so that a missing file is our usage error (exit 2, as STYLE asks)
    // rather than the parser's (exit 64).
    @Argument(help: "YAML target files, loaded together as one configuration.")
    var files: [String] = []

    @Flag(help: "Print a machine-readable summary (and the problems) as JSON on stdout.")
    var json = false

    func run() throws {
        guard !files.isEmpty else {
            ConfigurationFiles.printError("ispwatch check-config: no file given\nusage: ispwatch " + Self.usageString())
            throw ExitCode(2)
        }
        let sources = try ConfigurationFiles.read(files, command: "check-config")

        let configuration: Configuration
        do throws(ConfigurationError) {
            configuration = try Configuration.load(sources)
        } catch {
            for issue in error.issues { ConfigurationFiles.printError(issue.description) }
            for file in Set(error.issues.map(\.location.file)).sorted() {
                let count = error.issues.count { $0.location.file == file }
                ConfigurationFiles.printError("\(file): \(count) problem\(count == 1 ? "" : "s")")
            }
            if json {
                try Self.printJSON(Report(valid: false, files: [], issues: error.issues.map(IssueReport.init)))
            }
            throw ExitCode(1)
        }

        let summaries = files.map { FileSummary(path: $0, configuration: configuration) }
        if json {
            try Self.printJSON(Report(valid: true, files: summaries, issues: []))
        } else {
            for summary in summaries { print(summary.line) }
        }
    }

    // MARK: - Output

    private static func printJSON(_ report: Report) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}

/// What `check-config` says about one file of a valid configuration.
private struct FileSummary: Encodable {
    var path: String
    var vantage: String?
    var providers: Int
    var targets: Int
    var series: Int

    init(path: String, configuration: Configuration) {
        self.path = path
        let targets = configuration.targets.filter { $0.definedAt?.file == path }
        vantage = configuration.vantage.flatMap { $0.definedAt?.file == path ? $0.id : nil }
        providers = configuration.providers.count { $0.definedAt?.file == path }
        self.targets = targets.count
        series = targets.reduce(0) { $0 + $1.ipFamilies.families.count }
    }

    var line: String {
        let vantageText = vantage.map { "vantage \($0), " } ?? ""
        return "\(path): ok: \(vantageText)\(providers) provider\(providers == 1 ? "" : "s"), "
            + "\(targets) target\(targets == 1 ? "" : "s"), \(series) series"
    }
}

/// One problem, in JSON.
private struct IssueReport: Encodable {
    var file: String
    var line: Int
    var column: Int
    var field: String
    var message: String

    init(_ issue: ConfigurationIssue) {
        file = issue.location.file
        line = issue.location.line
        column = issue.location.column
        field = issue.field
        message = issue.message
    }
}

/// The whole `--json` output.
private struct Report: Encodable {
    var valid: Bool
    var files: [FileSummary]
    var issues: [IssueReport]
}
