import Alerting
import ArgumentParser
import Foundation
import WatchCore

/// `ispwatch alerts`: the notifications waiting in the outboxes of a data directory.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "List the firing alerts and the notifications not yet accepted by their receivers.",
        discussion: """
            Reads the outboxes of `ispwatch run` (DATA/alerts/outbox-<receiver>), one per receiver, without
            changing them, so it is safe while run is running. A notification is listed from the moment it
            is written until its receiver accepts it (or refuses it for good); a receiver that is down shows
            here as a growing list.

            The firing alerts come from the running process, which publishes them to
            DATA/alerts/active.json each second they change (--active prints that file's alerts as JSON).
            The alert engine's state itself is not persisted: after a restart it is rebuilt from live
            results, so an ongoing outage fires again once its rule's slices have been seen.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The data directory of `ispwatch run`.", valueName: "dir"))
    var data: String

    @Flag(name: .long, help: "One JSON object per notification, in an array.")
    var json = false

    @Flag(name: .long, help: "Print the firing alerts (as JSON) instead of the pending notifications.")
    var active = false

    func run() throws {
        if active {
            let file = try ActiveAlertsFile.read(data: data)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(file?.alerts ?? []), as: UTF8.self))
            return
        }
        let root = data + "/alerts"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .filter { $0.hasPrefix("outbox-") }.sorted()
        var rows: [(receiver: String, entry: OutboxEntry)] = []
        var unreadable: [String] = []
        for name in names {
            let listing = AlertOutbox.listing(directory: root + "/" + name)
            rows += listing.pending.map { (String(name.dropFirst("outbox-".count)), $0) }
            unreadable += listing.unreadable
        }
        for problem in unreadable { FileHandle.standardError.write(Data("ispwatch alerts: unreadable: \(problem)\n".utf8)) }
        if json {
            let objects: [[String: Any]] = rows.map { row in
                let notification = row.entry.notification
                var object: [String: Any] = [
                    "receiver": row.receiver, "sequence": row.entry.sequence, "status": notification.status.rawValue,
                    "alertname": notification.key.alertName, "dedup_key": notification.key.dedupKey,
                    "severity": notification.severity.rawValue, "labels": notification.labels,
                    "annotations": notification.annotations, "starts_at": notification.startsAt.description,
                    "created_at": notification.createdAt.description,
                ]
                if let end = notification.endsAt { object["ends_at"] = end.description }
                return object
            }
            let bytes = try JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            print(String(decoding: bytes, as: UTF8.self))
            return
        }
        if names.isEmpty {
            print("no outbox under \(root): alerting has not run with this data directory")
            return
        }
        if let file = try? ActiveAlertsFile.read(data: data) {
            print("\(file.alerts.count) firing alert\(file.alerts.count == 1 ? "" : "s") as of \(file.writtenAt) (ispwatch run, pid \(file.processID))")
            for alert in file.alerts {
                print("  \(alert.severity.rawValue)  \(alert.key.alertName) \(alert.key.dedupKey)  since \(alert.startsAt)")
            }
        }
        print("\(rows.count) pending notification\(rows.count == 1 ? "" : "s") in \(names.count) outbox\(names.count == 1 ? "" : "es")")
        for row in rows {
            let notification = row.entry.notification
            let end = notification.endsAt.map { " ended \($0)" } ?? ""
            print("\(row.receiver)  #\(row.entry.sequence)  \(notification.status.rawValue)  \(notification.severity.rawValue)  "
                  + "\(notification.key.alertName) \(notification.key.dedupKey)  since \(notification.startsAt)\(end)  "
                  + "written \(notification.createdAt)")
        }
    }
}
