import Foundation
import SeriesStore
import Testing
import WatchCore

/// `ispwatch run` on a full disk: probing goes on, the failure shows on /metrics and in the log, and
/// once space returns every result is written — nothing lost, nothing written twice.
@Suite(.serialized) struct RunDiskFullTests {
    @Test func aFullDiskIsReportedAndNoResultIsLostOnceSpaceReturns() throws {
        guard getuid() == 0 else {
            Issue.record("this test mounts a small tmpfs to fill it and needs root (CI runs as root)")
            return
        }
        try LabServers.with { lab in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let mountPoint = directory.file("small-disk")
            try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
            guard system("mount -t tmpfs -o size=1m tmpfs '\(mountPoint)'") == 0 else {
                throw CLITestError("cannot mount a tmpfs on \(mountPoint)")
            }
            defer { _ = system("umount -l '\(mountPoint)'") }
            let targets = (0..<20).map { index in
                "  - {id: portal-\(index), provider: lab, http: {url: \"http://127.0.0.1:\(lab.httpPort)/\"}}"
            }.joined(separator: "\n")
            try directory.write("run.yaml", """
                vantage: {id: disk}
                defaults: {interval: 1s, timeout: 500ms}
                providers: [{id: lab}]
                targets:
                \(targets)
                """)
            let run = try RunningISPWatch(
                ["run", "--config", "run.yaml", "--data", mountPoint + "/store", "--metrics-address", "127.0.0.1:0",
                 "--no-sync"], in: directory)
            let port = try run.metricsPort()
            sleep(2)

            // Fill the disk to the last byte.
            _ = system("dd if=/dev/zero of='\(mountPoint)/filler' bs=4k >/dev/null 2>&1")
            try run.waitForLog("store write failed")
            let before = try Self.metric("ispwatch_probes_total", port: port, directory: directory)
            sleep(3)
            let page = try ChildCommand.scrapeMetrics(port: port, into: directory)
            #expect(page.contains("ispwatch_store_healthy 0"), "\(page.suffix(4000))")
            #expect(try Self.metric("ispwatch_probes_total", port: port, directory: directory) > before,
                    "probing stopped while the disk was full")
            #expect(try Self.metric("ispwatch_store_flush_errors_total", port: port, directory: directory) > 0)

            // Space returns: the backlog is written.
            try FileManager.default.removeItem(atPath: mountPoint + "/filler")
            try run.waitForLog("store writes again")
            sleep(2)
            run.send(SIGTERM)
            #expect(try run.waitForExit() == 0, "\(run.standardError)")
            #expect(run.standardError.contains("store.lost=0"))

            // Every probe finished is in the store, once.
            let finishedField = run.standardError.split(separator: " ").first { $0.hasPrefix("probe.finished=") }
            let finished = try #require(finishedField.flatMap { Int($0.dropFirst("probe.finished=".count)) })
            let reader = try StoreReader(directory: mountPoint + "/store")
            let results = try reader.results().filter { $0.scheduledMillis != nil }
            #expect(results.count == finished)
            #expect(Set(results.map { "\($0.series)@\($0.scheduledMillis!)" }).count == results.count, "a result was written twice")
        }
    }

    /// The sum of every sample of `name` on /metrics.
    private static func metric(_ name: String, port: Int, directory: TemporaryDirectory) throws -> Double {
        try ChildCommand.scrapeMetrics(port: port, into: directory).split(separator: "\n")
            .filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0, +)
    }
}
