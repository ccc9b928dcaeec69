import ArgumentParser
import Foundation
import SeriesStore

/// `ispwatch store stats DIR`: what a store holds and what it costs per result.
struct StoreStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count a store's series, results, segments and bytes.",
        discussion: """
            Reads the sealed files' indexes and walks the active segments; decodes no sealed block.
            Bytes per result counts sealed files only (headers, indexes and sketches included): active
            segments are a write-ahead form, several times larger, sealed within a day.

            Example:
              $ ispwatch store stats /var/lib/ispwatch/store
              series           1000
              results          86,400,000 (sealed 86,390,000, active 10,000)
              segments         31 sealed, 1 active
              blocks           84,400
              bytes            203,551,114 (sealed 203,112,022, active 439,092)
              bytes/result     2.35 sealed

            Exit status: 0 ok, 1 the store could not be read, 2 usage error.
            """
    )

    @OptionGroup var store: StoreDirectoryOptions
    @OptionGroup var output: JSONOutputOptions

    func run() throws {
        try store.requireExistingStore(command: "store stats")
        let statistics = try CommandDiagnostics.reportingFailures(command: "store stats") {
            try SeriesStore.statistics(directory: store.directory)
        }
        if output.json {
            let report = Report(statistics)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(Self.text(statistics))
        }
    }

    /// The human form, one fact per line.
    static func text(_ statistics: SeriesStore.Statistics) -> String {
        let grouped = CommandDiagnostics.grouped
        return """
            series           \(grouped(statistics.series))
            results          \(grouped(statistics.results)) (sealed \(grouped(statistics.sealedResults)), active \(grouped(statistics.activeResults)))
            segments         \(statistics.sealedSegments) sealed, \(statistics.activeSegments) active
            blocks           \(grouped(statistics.blocks))
            bytes            \(grouped(statistics.sealedBytes + statistics.activeBytes)) (sealed \(grouped(statistics.sealedBytes)), active \(grouped(statistics.activeBytes)))
            bytes/result     \(String(format: "%.2f", statistics.sealedBytesPerResult)) sealed
            """
    }

    /// The `--json` form.
    struct Report: Encodable {
        var series: Int
        var results: Int
        var sealedResults: Int
        var activeResults: Int
        var sealedSegments: Int
        var activeSegments: Int
        var blocks: Int
        var bytes: Int
        var sealedBytes: Int
        var activeBytes: Int
        var sealedBytesPerResult: Double

        init(_ statistics: SeriesStore.Statistics) {
            series = statistics.series
            results = statistics.results
            sealedResults = statistics.sealedResults
            activeResults = statistics.activeResults
            sealedSegments = statistics.sealedSegments
            activeSegments = statistics.activeSegments
            blocks = statistics.blocks
            bytes = statistics.sealedBytes + statistics.activeBytes
            sealedBytes = statistics.sealedBytes
            activeBytes = statistics.activeBytes
            sealedBytesPerResult = (statistics.sealedBytesPerResult * 1_000).rounded() / 1_000
        }

        enum CodingKeys: String, CodingKey {
            case series, results, blocks, bytes
            case sealedResults = "sealed_results"
            case activeResults = "active_results"
            case sealedSegments = "sealed_segments"
            case activeSegments = "active_segments"
            case sealedBytes = "sealed_bytes"
            case activeBytes = "active_bytes"
            case sealedBytesPerResult = "sealed_bytes_per_result"
        }
    }
}
