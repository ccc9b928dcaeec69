import ArgumentParser
import Foundation
import SLAEngine
import SeriesStore
import WatchCore

/// `ispwatch query DIR…`: ad-hoc availability, counts and latency percentiles, or the incident list.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Ad-hoc figures: availability and latency percentiles by any grouping and bucket, or incidents.",
        discussion: """
            Availability is UP slices / known slices: a 1-minute slice (by probe start time) of a \
            series is DOWN when at least half its probes failed, UP when it has probes and is not \
            DOWN, UNKNOWN without probes (excluded). Figures of a group add up its series' slices; \
            this is the per-series figure, without the vantage quorum and maintenance windows of \
            `ispwatch report`. Percentiles are over successful probes, from a sketch within 1 %. \
            Control and vantage-health series are left out. --incidents lists incidents instead \
            (3 DOWN slices open one, 5 UP slices close it, UNKNOWN slices change nothing).

            Sealed segments are answered from rollup files (`<sequence>.rollup`, per minute counts \
            and per hour latency histograms) when the range and buckets fall on whole hours; \
            missing rollups are built on the way with --rollups build (the default), never with \
            --rollups use, and --rollups off decodes every result. The run line on stderr says \
            which was used.

            Examples:
              $ ispwatch query store --from 2027-02-01T00:00+07:00 --to 2027-03-01T00:00+07:00
              $ ispwatch query store --from 2027-02-01T00:00Z --to 2027-02-08T00:00Z \\
                  --group provider --bucket day --timezone Asia/Ho_Chi_Minh --format csv
              $ ispwatch query store --from 2027-02-01T00:00Z --to 2027-03-01T00:00Z --incidents

            Exit status: 0 ok, 1 the store could not be read (or damage was stepped over), 2 usage error.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }
    enum Bucket: String, ExpressibleByArgument, CaseIterable { case none, hour, day }
    enum Rollups: String, ExpressibleByArgument, CaseIterable { case build, use, off }

    @Argument(help: "Store directories (a series present in several is one series).")
    var directories: [String]

    @Option(help: ArgumentHelp("Start of the range, RFC 3339.", valueName: "time"))
    var from: CommandLineTime

    @Option(help: ArgumentHelp("End of the range (exclusive), RFC 3339.", valueName: "time"))
    var to: CommandLineTime

    @Option(help: "Group rows by: \(FigureGrouping.allCases.map(\.rawValue).joined(separator: ", ")).")
    var group: FigureGrouping = .target

    @Option(help: "Cut rows in time: none, hour, day.")
    var bucket: Bucket = .none

    @Option(help: ArgumentHelp("Time zone of day buckets: an IANA name or UTC (its offset at --from is used).",
                               valueName: "zone"))
    var timezone = "Asia/Ho_Chi_Minh"

    @Option(help: ArgumentHelp("Only this target (repeatable).", valueName: "target"))
    var target: [String] = []

    @Option(help: ArgumentHelp("Only this provider (repeatable).", valueName: "provider"))
    var provider: [String] = []

    @Flag(help: "With --bucket, also one row per group over the whole range.")
    var totals = false

    @Flag(help: "List incidents instead of figures.")
    var incidents = false

    @Option(help: "Output format.")
    var format: Format = .text

    @Option(help: "Rollup files: build (missing ones first), use (existing only), off (decode every result).")
    var rollups: Rollups = .build

    @Option(help: "Worker threads.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Run the query this many times (timings on stderr), print the last answer.")
    var `repeat`: Int = 1

    func validate() throws {
        guard to.timestamp > from.timestamp else { throw ValidationError("--to must be after --from") }
        guard `repeat` >= 1, threads >= 1 else { throw ValidationError("--repeat and --threads must be at least 1") }
        guard TimeZone(identifier: timezone) != nil else { throw ValidationError("unknown time zone \(timezone)") }
    }

    func run() throws {
        for directory in directories {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                CommandDiagnostics.printError("ispwatch query: \(directory): no such store directory")
                throw ExitCode(2)
            }
        }
        try CommandDiagnostics.reportingFailures(command: "query") {
            let fromMillis = from.timestamp.millisecondsSinceEpoch
            var query = FigureQuery(fromMillis: fromMillis, toMillis: to.timestamp.millisecondsSinceEpoch)
            query.grouping = group
            let zone = TimeZone(identifier: timezone)!
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(fromMillis) / 1_000))
            query.bucketing = switch bucket {
            case .none: .none
            case .hour: .hour
            case .day: .day(utcOffsetSeconds: offset)
            }
            query.includesTotals = totals
            query.includesIncidents = incidents
            query.includesFigures = !incidents
            if !target.isEmpty { query.targets = Set(target) }
            if !provider.isEmpty { query.providers = Set(provider) }
            let policy: RollupPolicy = switch rollups {
            case .build: .useAndBuild
            case .use: .useExisting
            case .off: .ignore
            }
            var answer: FigureAnswer?
            for run in 1...`repeat` {
                let started = ContinuousClock.now
                let readers = try directories.map { try StoreReader(directory: $0) }
                let engine = FigureEngine(readers: readers, rollups: policy, threads: threads,
                                          nowMillis: { WallClock.now().millisecondsSinceEpoch })
                let current = try engine.answer(query)
                let elapsed = ContinuousClock.now - started
                let scan = current.scan
                CommandDiagnostics.printError(String(
                    format: "ispwatch query: run %d/%d %.2f ms (rollups %@: %d segments from rollups, %d sealed and %d active decoded, %d results decoded, %d rollups built)",
                    run, `repeat`, Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3,
                    rollups.rawValue, scan.segmentsFromRollups, scan.sealedSegmentsDecoded, scan.activeSegmentsRead,
                    scan.resultsDecoded, scan.rollupsBuilt))
                answer = current
            }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            CommandDiagnostics.printError("ispwatch query: peak resident \(usage.ru_maxrss / 1024) MB")
            guard let answer else { return }
            for problem in answer.scan.rollupProblems { CommandDiagnostics.printError("ispwatch query: rollup: \(problem)") }
            for damage in answer.scan.damages { CommandDiagnostics.printError("ispwatch query: skipped damage: \(damage)") }
            print(QueryOutput.render(answer, incidents: incidents, format: format), terminator: "")
            if !answer.scan.damages.isEmpty { throw ExitCode(1) }
        }
    }
}

extension FigureGrouping: ExpressibleByArgument {}
