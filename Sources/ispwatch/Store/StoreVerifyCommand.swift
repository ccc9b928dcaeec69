import ArgumentParser
import Foundation
import SeriesStore

/// `ispwatch store verify DIR`: checks every CRC and decodes every block, like `sqlite3 … "PRAGMA
/// integrity_check"`; each damage found is one line on stdout.
struct StoreVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every CRC of a store and name each damage (file, block, offset).",
        discussion: """
            Checks file headers, record frames of active segments and of the series index, \
            sealed block headers, payloads and indexes, and decodes every block and record. \
            Each damage is one line on stdout: FILE: [block N] offset O: KIND: DETAIL. While a \
            writer runs, the end of the newest active segment may be a write in progress and \
            show as record_frame damage: verify a store whose writer has stopped.

            Examples:
              $ ispwatch store verify /var/lib/ispwatch/store
              /var/lib/ispwatch/store: ok (32 segments checked)

              $ ispwatch store verify s
              s/0000000000000001.sealed: block 7 offset 46675: block:
                block payload CRC mismatch
              s: 1 damage found

            Exit status: 0 no damage, 1 damage found (or the store could not be read), \
            2 usage error.
            """
    )

    @OptionGroup var store: StoreDirectoryOptions
    @OptionGroup var output: JSONOutputOptions

    func run() throws {
        try store.requireExistingStore(command: "store verify")
        let (damages, segments) = try CommandDiagnostics.reportingFailures(command: "store verify") {
            let damages = try SeriesStore.verify(directory: store.directory)
            let segments = (try? StoreReader(directory: store.directory).segments().count) ?? 0
            return (damages, segments)
        }
        if output.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let report = Report(ok: damages.isEmpty, segmentsChecked: segments, damages: damages.map(DamageReport.init))
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else if damages.isEmpty {
            print("\(store.directory): ok (\(segments) segment\(segments == 1 ? "" : "s") checked)")
        } else {
            for damage in damages { print(damage.description) }
        }
        guard damages.isEmpty else {
            CommandDiagnostics.printError("\(store.directory): \(damages.count) damage\(damages.count == 1 ? "" : "s") found")
            throw ExitCode(1)
        }
    }

    struct Report: Encodable {
        var ok: Bool
        var segmentsChecked: Int
        var damages: [DamageReport]

        enum CodingKeys: String, CodingKey {
            case ok, damages
            case segmentsChecked = "segments_checked"
        }
    }

    struct DamageReport: Encodable {
        var path: String
        var kind: String
        var block: Int?
        var offset: Int
        var detail: String

        init(_ damage: StoreDamage) {
            path = damage.path
            kind = damage.kind.rawValue
            block = damage.blockNumber
            offset = damage.offset
            detail = damage.detail
        }
    }
}
