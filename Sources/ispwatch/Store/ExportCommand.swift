import ArgumentParser
import Foundation
import SeriesStore
import WatchCore

/// `ispwatch export DIR`: writes a store's results as CSV or NDJSON, ordered by start time.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a store's results as CSV or NDJSON, ordered by start time.",
        discussion: """
            CSV starts with this header; times are RFC 3339 UTC with milliseconds, and an \
            empty field means none (unscheduled probe, no code, phase not measured):

              time,scheduled,target,provider,vantage,ip_family,kind,success,reason,
              code,latency_us,resolve_us,connect_us,tls_us,processing_us,
              transfer_us,request_us,rtt_us

            NDJSON has one object per line with the same keys, null for empty. Rows are \
            ordered by start time, then target, vantage and IP family, so two stores holding \
            the same results export the same bytes. The store is read in time windows: memory \
            stays bounded whatever its size.

            Examples:
              $ ispwatch export store --from 2027-02-03T00:00+07:00 \\
                  --to 2027-02-04T00:00+07:00 > feb3.csv
              $ ispwatch export store --format ndjson --out all.ndjson
              $ ispwatch export store | head -2
              time,scheduled,target,provider,vantage,ip_family,kind,success,reason,…
              2027-02-02T17:00:00.002Z,2027-02-02T17:00:00.000Z,dns-1,viettel,…

            Exit status: 0 ok, 1 the store could not be read or damage was skipped, \
            2 usage error.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, ndjson
    }

    @OptionGroup var store: StoreDirectoryOptions
    @OptionGroup var range: TimeRangeOptions

    @Option(help: "Output format.")
    var format: Format = .csv

    @Option(help: ArgumentHelp("Write to this file (replaced only once the export is complete) instead of stdout.",
                               valueName: "file"))
    var out: String?

    @Flag(help: "Skip damaged blocks and records (reported on stderr) instead of stopping at the first.")
    var skipDamaged = false

    /// About this many results are sorted in memory at a time.
    static let resultsPerWindow = 500_000

    func run() throws {
        try store.requireExistingStore(command: "export")
        try CommandDiagnostics.reportingFailures(command: "export") {
            let output = try LineOutput(path: out)
            let incompleteness: CommandFailure?
            do {
                incompleteness = try export(to: output)
                try output.finish()
            } catch {
                output.abandon()
                throw error
            }
            // Written out in full all the same: with --skip-damaged the user asked for what is readable.
            if let incompleteness { throw incompleteness }
        }
    }

    /// Writes the export; returns the failure to report once the output is complete, if any.
    private func export(to output: LineOutput) throws -> CommandFailure? {
        let reader = try StoreReader(directory: store.directory)
        let policy: CorruptionPolicy = skipDamaged ? .skip : .fail
        let plan = try ExportPlan(reader: reader, fromMillis: range.fromMillis, toMillis: range.toMillis, policy: policy)
        // Series ranked in key order, so that sorting compares two integers.
        let entries = reader.series
        let ranked = entries.values.sorted {
            WatchCore.SeriesKey(target: $0.key.target, vantage: $0.key.vantage, family: $0.key.family)
                < WatchCore.SeriesKey(target: $1.key.target, vantage: $1.key.vantage, family: $1.key.family)
        }
        // Indexed by series id (ids are small and dense), not hashed: the sort compares millions.
        let idLimit = Int(entries.keys.max() ?? 0) + 1
        var rank = [Int](repeating: .max, count: idLimit)
        var entryOfID = [SeriesEntry?](repeating: nil, count: idLimit)
        for (position, entry) in ranked.enumerated() {
            rank[Int(entry.id)] = position
            entryOfID[Int(entry.id)] = entry
        }
        func rankOf(_ id: SeriesID) -> Int { Int(id) < idLimit ? rank[Int(id)] : .max }

        if format == .csv { try output.write(line: ResultCSV.header) }
        var progress = ProgressLine(label: "export", unit: "results")
        var written = 0
        var unknownSeries: Set<SeriesID> = []
        var damages: [StoreDamage] = plan.damages
        var window: [StoredResult] = []
        for (start, end) in plan.windows(resultsPerWindow: Self.resultsPerWindow) {
            window.removeAll(keepingCapacity: true)
            let report = try reader.scan(fromMillis: start, toMillis: end, onCorruption: policy,
                                         segments: plan.segments(overlapping: start, end)) { window.append($0) }
            for damage in report.damages where !damages.contains(damage) { damages.append(damage) }
            window.sort { lhs, rhs in
                if lhs.startMillis != rhs.startMillis { return lhs.startMillis < rhs.startMillis }
                let (left, right) = (rankOf(lhs.series), rankOf(rhs.series))
                if left != right { return left < right }
                // Same series, same millisecond (a duplicate import): order by content so that
                // the output does not depend on storage order.
                return Self.contentOrder(lhs, rhs)
            }
            for result in window {
                guard Int(result.series) < idLimit, let entry = entryOfID[Int(result.series)] else {
                    unknownSeries.insert(result.series)
                    continue
                }
                let row = ResultRow(result, entry: entry)
                switch format {
                case .csv: try output.write { ResultCSV.append(row, to: &$0) }
                case .ndjson: try output.write { ResultNDJSON.append(row, to: &$0) }
                }
                written += 1
            }
            progress.update(done: written, total: plan.estimatedResults)
        }
        progress.finish()
        for damage in damages { CommandDiagnostics.printError("ispwatch export: skipped damage: \(damage)") }
        if !unknownSeries.isEmpty {
            return CommandFailure(
                message: "results of \(unknownSeries.count) series missing from the series index were left out (ids \(unknownSeries.sorted().prefix(10).map(String.init).joined(separator: ", ")))",
                exitCode: 1)
        }
        if !damages.isEmpty {
            return CommandFailure(message: "\(store.directory): the export is complete except for \(damages.count) damaged part\(damages.count == 1 ? "" : "s") skipped",
                                 exitCode: 1)
        }
        return nil
    }

    private static func contentOrder(_ lhs: StoredResult, _ rhs: StoredResult) -> Bool {
        let left = (lhs.scheduledMillis ?? .min, lhs.success ? 1 : 0, lhs.failureCode, lhs.code ?? .min, lhs.latencyMicros)
        let right = (rhs.scheduledMillis ?? .min, rhs.success ? 1 : 0, rhs.failureCode, rhs.code ?? .min, rhs.latencyMicros)
        if left != right { return left < right }
        for code in 0..<StoredPhases.phaseCount where lhs.phases[code: code] != rhs.phases[code: code] {
            return (lhs.phases[code: code] ?? 0, lhs.phases[code: code] == nil ? 0 : 1)
                < (rhs.phases[code: code] ?? 0, rhs.phases[code: code] == nil ? 0 : 1)
        }
        return false
    }
}
