#if canImport(Glibc)
import Glibc
#endif
import Alerting
import Foundation
import Logging
import Testing
import WatchCore

@Suite struct OutboxKillTests {
    /// The writer executable, built next to the test binary (the test target depends on it).
    private func writerPath() throws -> String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("alert-outbox-writer").path }
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw FixtureError("alert-outbox-writer not found next to the test binary (\(candidates)); run `swift build --build-tests`")
        }
        return path
    }

    /// Runs the writer from `first`, kills it with SIGKILL after `delay` µs, returns the indexes it
    /// reported appended.
    private func runAndKill(_ executable: String, directory: String, first: Int, afterMicroseconds delay: UInt32) throws -> [Int] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [directory, String(first)]
        let output = Pipe()
        process.standardOutput = output
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        usleep(delay)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(errorText.isEmpty, "writer stderr: \(errorText)")
        #expect(process.terminationReason == .uncaughtSignal, "the writer exited by itself: \(errorText)")
        // Only whole lines count: a line cut by the kill was not reported.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        return lines.compactMap { $0.hasPrefix("appended ") ? Int($0.dropFirst(9)) : nil }
    }

    @Test func everyAppendedNotificationSurvivesSIGKILLAndIsDeliveredAfterRestart() async throws {
        let executable = try writerPath()
        let directory = temporaryDirectory("kill")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var random = SplitMix64(state: 6)
        var acknowledged: Set<Int> = []
        var next = 0
        for _ in 0..<12 {
            let appended = try runAndKill(executable, directory: directory, first: next, afterMicroseconds: UInt32(30_000 + random.next() % 120_000))
            acknowledged.formUnion(appended)
            let outbox = try AlertOutbox(directory: directory)
            #expect(outbox.damaged.isEmpty, "damaged after SIGKILL: \(outbox.damaged)")
            let stored = Set(outbox.pending.compactMap { $0.notification.labels["target"].flatMap { Int($0.dropFirst(5)) } })
            #expect(acknowledged.isSubset(of: stored), "lost appended notifications: \(acknowledged.subtracting(stored).sorted())")
            #expect(!(try FileManager.default.contentsOfDirectory(atPath: directory).contains { $0.hasPrefix(".tmp-") }))
            next = (stored.max() ?? -1) + 1
        }
        #expect(acknowledged.count >= 12, "the writer appended too little before its kills to test anything")

        let alertmanager = try AlertmanagerServer()
        try await alertmanager.start()
        defer { alertmanager.stop() }
        let dispatcher = AlertDispatcher(
            outbox: try AlertOutbox(directory: directory), receiver: AlertmanagerReceiver(baseURL: alertmanager.baseURL),
            logger: Logger(label: "alerting-tests"))
        let pending = await dispatcher.pending.count
        #expect(await dispatcher.deliverDue(now: WallClock.now()) == pending)
        let inAlertmanager = Set(try await alertmanager.alerts().compactMap { ($0["labels"] as? [String: String])?["target"] })
        #expect(acknowledged.allSatisfy { inAlertmanager.contains("kill-\($0)") })
        print("outbox kill test: 12 SIGKILLs, \(acknowledged.count) acknowledged appends, \(pending) delivered after restart")
    }
}
