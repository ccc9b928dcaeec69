import ArgumentParser
import Foundation
import Reports
import SLAEngine
import SeriesStore
import WatchCore

/// `ispwatch report --data DIR… --from --to`: SLA figures per provider, the incident register, the
/// maintenance log and data quality, computed as docs/SLA.md defines them.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compute SLA figures (availability, downtime, incidents, latency) from stored results.",
        discussion: """
            Reads one or more stores (one per vantage, or per shard of one; copies of their sealed segments \
            do, read-only) and applies the accounting of docs/SLA.md: 1-minute \
            slices, the multi-vantage quorum, maintenance windows and objectives from --config, K/M incidents. \
            The period is an event window (--from/--to) or a calendar period (--period month, the one \
            containing --at, default now) in --timezone (default Asia/Ho_Chi_Minh).

            Example:
              $ ispwatch report --data hanoi --data hcm --config vn-isps.yaml \\
                  --from 2027-02-03T00:00+07:00 --to 2027-02-12T00:00+07:00
              $ ispwatch report --data store --period month --provider vnpt \\
                  --format html --out vnpt.html
              $ ispwatch report --data store --period month --format csv \\
                  --table incidents --out incidents.csv

            Formats: text (terminal tables), json (every figure), csv (one table per file, chosen with \
            --table), html (one self-contained page with charts). Layouts: docs/REPORTS.md. With several stores \
            the report lists them (vantage, series, first and last result, coverage); a series found in two \
            stores is an error (2). See docs/OPERATIONS.md.

            Exit status: 0 the report was written, 1 a store could not be read, 2 usage or configuration error.
            """
    )

    @Option(name: .customLong("data"), help: ArgumentHelp("A store directory (repeat for several vantages).", valueName: "dir"))
    var dataDirectories: [String] = []

    @OptionGroup(title: "Accounting rules (docs/SLA.md)")
    var accounting: AccountingOptions

    @Option(help: ArgumentHelp("Start of an event window, RFC 3339, e.g. 2027-02-03T00:00+07:00.", valueName: "time"))
    var from: CommandLineTime?

    @Option(help: ArgumentHelp("End of the event window (exclusive).", valueName: "time"))
    var to: CommandLineTime?

    @Option(help: ArgumentHelp("A calendar period instead of --from/--to.", valueName: "unit"))
    var period: CalendarPeriodUnit?

    @Option(help: ArgumentHelp("An instant inside the calendar period (default: now).", valueName: "time"))
    var at: CommandLineTime?

    @Option(help: ArgumentHelp("The IANA timezone of calendar periods and shown times.", valueName: "name"))
    var timezone = ReportPeriod.defaultTimeZone

    @Option(help: ArgumentHelp("Only this provider's series (repeat for several).", valueName: "id"))
    var provider: [String] = []

    @Option(help: ArgumentHelp("Configuration files with maintenance: and objectives: (repeatable).", valueName: "file"))
    var config: [String] = []

    @Option(name: .customLong("group-by"),
            help: ArgumentHelp("Comma-separated dimensions: provider, service, target, vantage, region.", valueName: "list"))
    var groupBy = "provider,service"

    @Option(help: "Output format: text, json, csv or html.")
    var format: ReportFormat = .text

    @Option(help: ArgumentHelp("With --format csv, the table to write (default: groups).", valueName: "name"))
    var table: CSVTable?

    @Option(help: ArgumentHelp("Step of the html charts (default: hour under 3 days, else day) and of the csv daily "
                               + "table (default: day).", valueName: "unit"))
    var step: BreakdownUnit?

    @Option(help: ArgumentHelp("Write the report to this file instead of stdout.", valueName: "file"))
    var out: String?

    var grouping: [GroupingDimension] {
        groupBy.split(separator: ",").compactMap { GroupingDimension(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
    }

    func validate() throws {
        guard !dataDirectories.isEmpty else { throw ValidationError("give at least one --data DIR") }
        switch (from, to, period) {
        case (.some(let from), .some(let to), nil):
            guard to.timestamp > from.timestamp else { throw ValidationError("--to must be after --from") }
        case (nil, nil, .some):
            break
        case (_, _, .some):
            throw ValidationError("give either --from and --to, or --period, not both")
        default:
            throw ValidationError("give --from and --to (an event window), or --period (a calendar period)")
        }
        if table != nil, format != .csv { throw ValidationError("--table chooses the table of --format csv; give --format csv too") }
        if step != nil, format != .csv && format != .html {
            throw ValidationError("--step sets the charts of --format html and the daily table of --format csv")
        }
        if at != nil, period == nil { throw ValidationError("--at chooses the calendar period of --period; give --period too") }
        for name in groupBy.split(separator: ",") where GroupingDimension(rawValue: name.trimmingCharacters(in: .whitespaces)) == nil {
            let known = GroupingDimension.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--group-by: unknown dimension \"\(name)\"; use \(known)")
        }
        guard TimeZone(identifier: timezone) != nil else {
            throw ValidationError("--timezone: unknown timezone \"\(timezone)\"; use an IANA name like Asia/Ho_Chi_Minh")
        }
    }

    func run() throws {
        let configuration = config.isEmpty ? Configuration() : try ConfigurationFiles.load(config, command: "report")
        try CommandDiagnostics.reportingFailures(command: "report") {
            for directory in dataDirectories {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw CommandFailure(message: "\(directory): no such store directory", exitCode: 2)
                }
            }
            let reportPeriod: ReportPeriod
            do throws(SLAComputationError) {
                if let unit = period {
                    reportPeriod = try ReportPeriod.calendar(unit, containing: at?.timestamp ?? WallClock.now(), timeZone: timezone)
                } else {
                    reportPeriod = try ReportPeriod.window(from: from!.timestamp, to: to!.timestamp, timeZone: timezone)
                }
            } catch {
                throw CommandFailure(message: error.description, exitCode: 2)
            }
            let readers = try dataDirectories.map { try StoreReader(directory: $0) }
            // Several stores: list them in the report. One store: the report stays as it always was.
            let stores = readers.count > 1 ? try readers.map { try StoreInventory(reader: $0) } : []
            let computation = SLAComputation(
                readers: readers, configuration: configuration, period: reportPeriod, grouping: grouping,
                rules: accounting.rules, providers: provider.isEmpty ? nil : Set(provider))
            let result: SLAResult
            var breakdown: SLABreakdown?
            do throws(SLAComputationError) {
                result = try computation.run()
                let unit = step ?? (reportPeriod.from.duration(to: reportPeriod.to) < .seconds(3 * 86_400) ? .hour : .day)
                if format == .html {
                    // The charts are per provider, whatever the tables are grouped by.
                    var byProvider = computation
                    byProvider.grouping = [.provider]
                    breakdown = try byProvider.breakdown(by: unit)
                } else if format == .csv, table == .daily {
                    breakdown = try computation.breakdown(by: step ?? .day)
                }
            } catch {
                // A store that cannot be read is a failure (1); a bad timezone or period is usage (2).
                let usage = if case .store = error { false } else { true }
                throw CommandFailure(message: error.description, exitCode: usage ? 2 : 1)
            }
            let providerNames = Dictionary(configuration.providers.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let text = switch format {
            case .text: TextReport(result: result, providerNames: providerNames, stores: stores).render()
            case .json: try JSONReport.render(result, stores: stores)
            case .csv: CSVReport(result: result, breakdown: breakdown, stores: stores).render(table ?? .groups)
            case .html:
                HTMLReport(
                    result: result, breakdown: breakdown, methodology: methodology(of: result, configuration: configuration,
                                                                                readers: readers),
                    providerNames: providerNames, stores: stores
                ).render()
            }
            if let out {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out))
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }

    /// The configured targets of the report's providers; without any, the probe kinds of the stores'
    /// target series.
    private func methodology(of result: SLAResult, configuration: Configuration, readers: [StoreReader]) -> Methodology {
        let wanted = provider.isEmpty ? nil : Set(provider)
        let targets = configuration.targets.filter { wanted?.contains($0.provider) ?? true }
        var storedKinds: [ProbeKind: Int] = [:]
        for reader in readers {
            for entry in reader.series.values where entry.metadata.labels[SeriesRole.labelName] == nil
                && wanted?.contains(entry.metadata.provider) ?? true
            {
                if let kind = entry.metadata.kind { storedKinds[kind, default: 0] += 1 }
            }
        }
        return Methodology(targets: targets, storedKinds: storedKinds, vantages: result.vantages.map(\.id))
    }
}

/// The formats `ispwatch report` writes.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv, html
}

extension CSVTable: ExpressibleByArgument {}
extension BreakdownUnit: ExpressibleByArgument {}

extension CalendarPeriodUnit: ExpressibleByArgument {}
