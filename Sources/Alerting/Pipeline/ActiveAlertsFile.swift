import Foundation
import WatchCore

/// The alerts firing in a running `ispwatch run`, written by it to `DATA/alerts/active.json` once a
/// second when they change, and read by `ispwatch alerts`: the engine's state lives in the process,
/// and this file is its window for other processes (`ispwatch alerts`, `ispwatch serve`).
public struct ActiveAlertsFile: Codable, Sendable {
    /// When the running process wrote the file.
    public var writtenAt: Timestamp
    /// Its process id.
    public var processID: Int32
    /// The alerts firing then.
    public var alerts: [AlertNotification]

    /// Creates the file's contents.
    public init(writtenAt: Timestamp, processID: Int32, alerts: [AlertNotification]) {
        self.writtenAt = writtenAt
        self.processID = processID
        self.alerts = alerts
    }

    /// The file of data directory `data`.
    public static func path(data: String) -> String { data + "/alerts/active.json" }

    /// Writes atomically (a reader never sees half a file).
    public func write(data: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: Self.path(data: data)), options: .atomic)
    }

    /// The file of `data`, or `nil` when `run` has not written one.
    public static func read(data: String) throws -> ActiveAlertsFile? {
        guard let bytes = FileManager.default.contents(atPath: path(data: data)) else { return nil }
        return try JSONDecoder().decode(ActiveAlertsFile.self, from: bytes)
    }
}
