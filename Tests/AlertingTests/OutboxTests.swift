import Alerting
import Foundation
import Testing
import WatchCore

func temporaryDirectory(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "ispwatch-alerting-\(name)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func sampleNotification(_ target: String = "vnpt-dns-1", status: AlertNotification.Status = .firing, at: Timestamp = simulationStart) -> AlertNotification {
    let firing = AlertNotification(
        key: AlertKey.target("TargetDown", provider: "vnpt", service: "dns", target: TargetID(target), family: .v4),
        status: .firing, severity: .critical,
        labels: ["provider": "vnpt", "service": "dns", "target": target, "family": "v4"],
        annotations: ["summary": "\(target) is DOWN"], startsAt: at, createdAt: at)
    return status == .firing ? firing : firing.resolved(at: at.advanced(by: .seconds(300)))
}

@Suite struct OutboxTests {
    @Test func aNotificationSurvivesTheOutboxBeingDroppedWithoutCleanup() throws {
        let directory = temporaryDirectory("crash")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            var outbox = try AlertOutbox(directory: directory)
            try outbox.append(sampleNotification("a"))
            try outbox.append(sampleNotification("b"))
            // The outbox goes away here as if the process died: nothing is flushed or closed.
        }
        let reopened = try AlertOutbox(directory: directory)
        #expect(reopened.pending.map(\.notification) == [sampleNotification("a"), sampleNotification("b")])
        #expect(reopened.damaged.isEmpty)
        var next = reopened
        let entry = try next.append(sampleNotification("c"))
        #expect(entry.sequence == 3)
    }

    @Test func aNewerNotificationOfTheSameAlertSupersedesThePendingOne() throws {
        let directory = temporaryDirectory("supersede")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var outbox = try AlertOutbox(directory: directory)
        try outbox.append(sampleNotification("a"))
        try outbox.append(sampleNotification("b"))
        try outbox.append(sampleNotification("a", status: .resolved))
        #expect(outbox.pending.map(\.notification.status) == [.firing, .resolved])
        #expect(outbox.pending.map(\.notification.labels["target"]) == ["b", "a"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).count == 2)
    }

    @Test func aCrashBetweenWritingAndRemovingTheSupersededFileKeepsOnlyTheNewest() throws {
        let directory = temporaryDirectory("leftover")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var outbox = try AlertOutbox(directory: directory)
        try outbox.append(sampleNotification("a"))
        let older = directory + "/00000000000000000001.alert"
        let saved = try Data(contentsOf: URL(fileURLWithPath: older))
        try outbox.append(sampleNotification("a", status: .resolved))
        // Put the superseded file back, as if the crash came before its unlink; and a temporary file
        // whose rename never happened.
        try saved.write(to: URL(fileURLWithPath: older))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: directory + "/.tmp-9"))
        let reopened = try AlertOutbox(directory: directory)
        #expect(reopened.pending.map(\.notification.status) == [.resolved])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["00000000000000000002.alert"])
    }

    @Test(arguments: ["truncated", "flipped", "empty"])
    func aDamagedFileIsReportedAndSetAsideNotCrashedOn(damage: String) throws {
        let directory = temporaryDirectory("torn")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var outbox = try AlertOutbox(directory: directory)
        try outbox.append(sampleNotification("a"))
        try outbox.append(sampleNotification("b"))
        let path = directory + "/00000000000000000001.alert"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        switch damage {
        case "truncated": bytes.removeLast(bytes.count / 2)
        case "flipped": bytes[bytes.count - 3] ^= 0x20
        default: bytes = []
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reopened = try AlertOutbox(directory: directory)
        #expect(reopened.pending.map(\.notification.labels["target"]) == ["b"])
        #expect(reopened.damaged.count == 1)
        #expect(reopened.damaged.first?.hasPrefix(path) == true)
        #expect(FileManager.default.fileExists(atPath: path + ".damaged"))
        // A new notification never reuses the damaged file's sequence.
        var next = reopened
        #expect(try next.append(sampleNotification("c")).sequence == 3)
    }

    @Test func removingAnAcceptedNotificationDeletesItsFile() throws {
        let directory = temporaryDirectory("remove")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var outbox = try AlertOutbox(directory: directory)
        let entry = try outbox.append(sampleNotification("a"))
        outbox.remove(sequence: entry.sequence)
        #expect(outbox.pending.isEmpty)
        #expect(try AlertOutbox(directory: directory).pending.isEmpty)
    }
}

@Suite struct DeliveryPolicyTests {
    @Test(arguments: [
        (200, "accepted"), (202, "accepted"), (400, "rejected"), (404, "rejected"), (422, "rejected"),
        (429, "retry"), (500, "retry"), (503, "retry"),
    ])
    func httpStatusesAreAcceptedRetriedOrRefused(status: Int, expected: String) {
        let outcome = DeliveryOutcome(httpStatus: status, body: "")
        switch outcome {
        case .accepted: #expect(expected == "accepted")
        case .retry: #expect(expected == "retry")
        case .rejected: #expect(expected == "rejected")
        }
    }

    @Test func backoffDoublesUpToItsCapWithJitterInTheUpperHalf() {
        let policy = RetryPolicy(initialDelay: .seconds(1), maximumDelay: .seconds(60))
        var random = SplitMix64(state: 42)
        for failures in 1...12 {
            let base = min(Duration.seconds(1) * (1 << (failures - 1)), .seconds(60))
            var seen: Set<Duration> = []
            for _ in 0..<50 {
                let delay = policy.delay(afterFailures: failures, using: &random)
                #expect(delay >= base / 2 && delay <= base)
                seen.insert(delay)
            }
            #expect(seen.count > 1)
        }
    }
}
