import ArgumentParser
import Foundation
import SeriesStore
import WatchCore

/// `ispwatch import DIR FILE.csv`: brings results from a CSV file (an export, another prober, an
/// older system) into a store, creating series as needed.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import results from a CSV file with the columns of `ispwatch export`.",
        discussion: """
            The file must start with the header `ispwatch export` writes:

              time,scheduled,target,provider,vantage,ip_family,kind,success,reason,
              code,latency_us,resolve_us,connect_us,tls_us,processing_us,
              transfer_us,request_us,rtt_us

            A series is created for each target, vantage and ip_family; provider and kind \
            become its metadata and must be the same on every row of a series (and match \
            the store's, for a series it already holds). Rows need not be sorted. Each bad \
            row is reported on stderr as FILE:LINE: COLUMN: what is wrong.

            --on-error reject (the default) checks the whole file first and writes nothing \
            if any row is bad. --on-error skip imports the good rows, reports the bad ones \
            and exits 1 if it skipped any.

            Examples:
              $ ispwatch import store legacy-2026.csv
              imported 1,051,200 results into 12 series (12 new) from legacy-2026.csv

              $ ispwatch import store bad.csv
              bad.csv:3: ip_family: "v5" is not v4 or v6
              bad.csv:7: code: "NOERROR" is not an integer rcode or HTTP status
              ispwatch import: bad.csv: 2 bad rows; nothing imported
                (--on-error skip imports the good rows)

            Exit status: 0 all rows imported, 1 bad rows (rejected or skipped) or a store \
            error, 2 usage error.
            """
    )

    enum ErrorPolicy: String, ExpressibleByArgument, CaseIterable {
        case reject, skip
    }

    @OptionGroup var store: StoreDirectoryOptions

    @Argument(help: "The CSV file to import.")
    var file: String

    @Option(name: .customLong("on-error"), help: "What to do with bad rows: reject the whole file, or skip them.")
    var onError: ErrorPolicy = .reject

    /// Bad rows printed in full before the rest are only counted.
    static let printedProblemLimit = 100

    func run() throws {
        try CommandDiagnostics.reportingFailures(command: "import") {
            guard FileManager.default.fileExists(atPath: file) else {
                throw CommandFailure(message: "\(file): no such file", exitCode: 2)
            }
            let fileBytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
            var existing: [WatchCore.SeriesKey: SeriesEntry] = [:]
            if FileManager.default.fileExists(atPath: store.directory) {
                for entry in try StoreReader(directory: store.directory).series.values {
                    existing[WatchCore.SeriesKey(target: entry.key.target, vantage: entry.key.vantage, family: entry.key.family)] = entry
                }
            }
            if onError == .reject {
                let check = try readRows(fileBytes: fileBytes, existing: existing, label: "check") { _, _ in }
                guard check.badRows == 0 else {
                    throw CommandFailure(message: "\(file): \(CommandDiagnostics.grouped(check.badRows)) bad row\(check.badRows == 1 ? "" : "s"); nothing imported (--on-error skip imports the good rows)",
                                         exitCode: 1)
                }
            }
            var options = StoreOptions()
            // One fsync at close instead of one per flush: a failed import is simply run again.
            options.syncOnFlush = false
            options.flushRecordCount = 65_536
            let writer = try StoreWriter(directory: store.directory, options: options)
            var ids: [WatchCore.SeriesKey: SeriesID] = [:]
            for (key, entry) in existing { ids[key] = entry.id }
            let imported = try readRows(fileBytes: fileBytes, existing: existing, label: "import",
                                        reportsProblems: onError == .skip) { row, series in
                let id: SeriesID
                if let known = ids[series] {
                    id = known
                } else {
                    id = try writer.register(.init(target: series.target, vantage: series.vantage, family: series.family),
                                             metadata: SeriesMetadata(provider: row.provider, kind: row.kind))
                    ids[series] = id
                }
                try writer.append(StoredResult(row, series: id))
            }
            var sealing = ProgressLine(label: "import", unit: "")
            sealing.show("sealing…")
            defer { sealing.finish() }
            try writer.sealActiveSegment()
            try writer.sealPendingSegments()
            try writer.close()
            let newSeries = ids.count - existing.count
            print("imported \(CommandDiagnostics.grouped(imported.goodRows)) results into \(imported.seriesSeen) series (\(newSeries) new) from \(file)")
            if imported.badRows > 0 {
                throw CommandFailure(message: "\(file): skipped \(CommandDiagnostics.grouped(imported.badRows)) bad row\(imported.badRows == 1 ? "" : "s")",
                                     exitCode: 1)
            }
        }
    }

    struct Outcome {
        var goodRows = 0
        var badRows = 0
        var seriesSeen = 0
    }

    /// Reads every row, checks it (columns and series metadata), reports bad ones on stderr and
    /// calls `body` with each good one.
    private func readRows(
        fileBytes: Int?, existing: [WatchCore.SeriesKey: SeriesEntry], label: String, reportsProblems: Bool = true,
        _ body: (ResultRow, WatchCore.SeriesKey) throws -> Void
    ) throws -> Outcome {
        var input = try LineInput(path: file)
        guard let header = try input.nextLine() else {
            throw CommandFailure(message: "\(file): empty file; expected the header \(ResultCSV.header)", exitCode: 1)
        }
        do {
            try ResultCSV.checkHeader(header)
        } catch {
            throw CommandFailure(message: "\(file):1: \(error.message); nothing imported", exitCode: 1)
        }
        var outcome = Outcome()
        var firstSeen: [WatchCore.SeriesKey: (provider: String, kind: ProbeKind?, line: Int)] = [:]
        for (key, entry) in existing { firstSeen[key] = (entry.metadata.provider, entry.metadata.kind, 0) }
        var progress = ProgressLine(label: label, unit: "MiB")
        var seriesInFile: Set<WatchCore.SeriesKey> = []
        var lineNumber = 1
        while let line = try input.nextLine() {
            lineNumber += 1
            if line.isEmpty || line == "\r" { continue }
            let row: ResultRow
            do {
                row = try ResultCSV.parse(line)
                let series = row.series
                if let first = firstSeen[series] {
                    let origin = first.line == 0 ? "the store's" : "line \(first.line)'s"
                    if first.provider != row.provider {
                        throw ResultCSV.RowError(column: "provider", message: "\"\(row.provider)\" differs from \(origin) \"\(first.provider)\" for series \(series)")
                    }
                    if first.kind != row.kind {
                        throw ResultCSV.RowError(column: "kind", message: "\"\(row.kind?.rawValue ?? "")\" differs from \(origin) \"\(first.kind?.rawValue ?? "")\" for series \(series)")
                    }
                } else {
                    firstSeen[series] = (row.provider, row.kind, lineNumber)
                }
            } catch {
                outcome.badRows += 1
                if reportsProblems {
                    if outcome.badRows <= Self.printedProblemLimit {
                        CommandDiagnostics.printError("\(file):\(lineNumber): \(error)")
                    } else if outcome.badRows == Self.printedProblemLimit + 1 {
                        CommandDiagnostics.printError("\(file): more bad rows; only the first \(Self.printedProblemLimit) are shown")
                    }
                }
                continue
            }
            try body(row, row.series)
            seriesInFile.insert(row.series)
            outcome.goodRows += 1
            if outcome.goodRows % 16_384 == 0 { progress.update(done: input.bytesRead >> 20, total: fileBytes.map { $0 >> 20 }) }
        }
        progress.finish()
        outcome.seriesSeen = seriesInFile.count
        return outcome
    }
}
