import Alerting
import Foundation
import WatchCore

/// The alerts firing in a running `ispwatch run`, written by it to `DATA/alerts/active.json` once a
/// second when they change, and read by `ispwatch alerts`: the engine's state lives in the process,
/// and this file is its window for other processes.
struct ActiveAlertsFile: Codable {
    /// When the running process wrote the file.
    var writtenAt: Timestamp
    /// Its process id.
    var processID: Int32
    /// The alerts firing then.
    var alerts: [AlertNotification]

    static func path(data: String) -> String { data + "/alerts/active.json" }

    /// Writes atomically (a reader never sees half a file).
    func write(data: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: Self.path(data: data)), options: .atomic)
    }

    /// The file of `data`, or `nil` when `run` has not written one.
    static func read(data: String) throws -> ActiveAlertsFile? {
        guard let bytes = FileManager.default.contents(atPath: path(data: data)) else { return nil }
        return try JSONDecoder().decode(ActiveAlertsFile.self, from: bytes)
    }
}
