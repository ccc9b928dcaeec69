import Foundation
import Testing
import WatchCore

/// Three `ispwatch run` processes (three vantages) remote-write into a REAL Prometheus on loopback
/// while the lab's portal is stopped for a while and, later, Prometheus itself: PromQL over what
/// Prometheus received gives the availability `ispwatch report` computes over the three stores, and
/// every probe the stores hold has its sample in Prometheus (no gap across the receiver's outage).
@Suite(.serialized) struct RemoteWriteFleetTests {
    static let vantages = ["hanoi", "danang", "hcm"]

    @Test func promQLOverTheReceivedSeriesGivesTheReportsAvailabilityWithNoGapAcrossAReceiverOutage() async throws {
        let lab = try LabServers.start()
        defer { lab.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let prometheus = try RemoteWritePrometheus()
        try await prometheus.start()

        for vantage in Self.vantages {
            // The first vantage is configured by its file's remote_write: section, the others by options.
            let section = vantage == Self.vantages[0]
                ? "remote_write: {url: \"\(prometheus.writeURL)\", max_backoff: 1s, flush_interval: 250ms, fsync: false}\n" : ""
            // Interval = slice = failing re-probe interval = 1 s: one probe, so one sample, per slice.
            try directory.write("\(vantage).yaml", section + """
                vantage: {id: \(vantage)}
                defaults: {interval: 1s, timeout: 500ms}
                scheduler: {failing_interval: 1s}
                providers: [{id: lab}]
                targets:
                  - id: portal
                    provider: lab
                    service: web
                    http: {url: "http://127.0.0.1:\(lab.httpPort)/"}
                  - id: resolver
                    provider: lab
                    service: dns
                    dns: {server: 127.0.0.1, port: \(lab.dnsPort), query_name: www.isp.test}
                """)
        }
        let from = floor(Date().timeIntervalSince1970)
        let runs = try Self.vantages.map { vantage in
            let options = vantage == Self.vantages[0] ? [] : [
                "--remote-write-url", prometheus.writeURL, "--remote-write-max-backoff", "1s",
                "--remote-write-flush-interval", "250ms",
            ]
            return try RunningISPWatch([
                "run", "--config", "\(vantage).yaml", "--data", "store-\(vantage)", "--metrics-address", "127.0.0.1:0",
                "--no-sync",
            ] + options, in: directory)
        }
        for run in runs { try await waitForLog(run, "ispwatch run started") }

        try await Task.sleep(for: .seconds(3))
        lab.stopNginx()
        try await Task.sleep(for: .seconds(5))
        try lab.startNginx()
        try await Task.sleep(for: .seconds(2))

        // The receiver goes away for 8 s; the senders queue on disk and retry.
        let outageFrom = ceil(Date().timeIntervalSince1970)
        prometheus.stop()
        try await Task.sleep(for: .seconds(8))
        let outageTo = floor(Date().timeIntervalSince1970)
        try await prometheus.start()
        try await Task.sleep(for: .seconds(4))

        let metrics = try ChildCommand.scrapeMetrics(port: try runs[0].metricsPort(), into: directory)
        #expect(metricValue(metrics, "ispwatch_remote_write_retries_total") ?? 0 > 0, "the outage made POSTs fail")
        #expect(metricValue(metrics, "ispwatch_remote_write_samples_total{outcome=\"sent\"}") ?? 0 > 0)
        #expect(metricValue(metrics, "ispwatch_remote_write_samples_total{outcome=\"dropped\"}") == 0)
        let lint = try ChildCommand.run("/usr/bin/promtool", ["check", "metrics"], input: directory.file("metrics.txt"))
        #expect(lint.status == 0, "promtool check metrics:\n\(lint.output)")

        for run in runs { run.send(SIGTERM) }
        for run in runs {
            #expect(try await waitForExit(run) == 0, "\(run.standardError)")
            #expect(run.standardError.contains("remote-write stopped"))
            #expect(run.standardError.contains("remote_write.waiting=0"), "everything sent at shutdown:\n\(run.standardError)")
        }
        let to = ceil(Date().timeIntervalSince1970) + 1

        for (windowFrom, windowTo) in [(from, to), (outageFrom, outageTo)] {
            let report = try reportGroups(directory, from: windowFrom, to: windowTo)
            #expect(report.count == 2 * Self.vantages.count, "a group per target and vantage")
            let counts = try received(prometheus, "count_over_time", from: windowFrom, to: windowTo)
            let successes = try received(prometheus, "sum_over_time", from: windowFrom, to: windowTo)
            let availability = try received(prometheus, "avg_over_time", from: windowFrom, to: windowTo)
            for (key, group) in report {
                // Every probe in the store has its sample in Prometheus, and no other sample is there.
                #expect(counts[key] == Double(group.probes), "\(key) in [\(windowFrom), \(windowTo)): samples vs probes")
                #expect(successes[key] == Double(group.probes - group.failures), "\(key): successes")
                // One probe per slice: the report's slice availability is PromQL's mean of probe_success.
                #expect(group.up + group.down == group.probes, "\(key): one probe per slice")
                if let raw = group.availability, let promQL = availability[key] {
                    #expect(abs(raw - promQL) < 1e-9, "\(key): report \(raw), PromQL \(promQL)")
                } else {
                    Issue.record("\(key): no availability (report \(String(describing: group.availability)), PromQL \(String(describing: availability[key])))")
                }
            }
            if windowFrom == from {
                for vantage in Self.vantages {
                    let portal = try #require(report[Key(target: "portal", vantage: vantage)])
                    #expect(portal.failures >= 3, "\(vantage) saw the portal down")
                    #expect(report[Key(target: "resolver", vantage: vantage)]?.failures == 0)
                }
            }
        }
    }

    // MARK: - Helpers

    struct Key: Hashable, CustomStringConvertible {
        var target: String
        var vantage: String
        var description: String { "\(target)@\(vantage)" }
    }

    struct Group {
        var probes: Int
        var failures: Int
        var up: Int
        var down: Int
        var availability: Double?
    }

    /// `ispwatch report` over the three stores, one group per target and vantage, slices of 1 s.
    private func reportGroups(_ directory: TemporaryDirectory, from: Double, to: Double) throws -> [Key: Group] {
        let run = try ISPWatchBinary.run(
            ["report"] + Self.vantages.flatMap { ["--data", "store-\($0)"] } + [
                "--from", "\(Timestamp(secondsSinceEpoch: from))", "--to", "\(Timestamp(secondsSinceEpoch: to))",
                "--slice", "1s", "--group-by", "target,vantage", "--format", "json",
            ], in: directory)
        guard run.status == 0,
              let json = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any],
              let groups = json["groups"] as? [[String: Any]]
        else { throw CLITestError("report failed: \(run.standardError)\n\(run.standardOutput.prefix(2_000))") }
        var result: [Key: Group] = [:]
        for group in groups {
            let key = group["key"] as? [String: String] ?? [:]
            let availability = group["availability"] as? [String: Any] ?? [:]
            let slices = availability["slices"] as? [String: Int] ?? [:]
            result[Key(target: key["target"] ?? "?", vantage: key["vantage"] ?? "?")] = Group(
                probes: group["probes"] as? Int ?? -1, failures: group["failures"] as? Int ?? -1,
                up: slices["up"] ?? -1, down: slices["down"] ?? -1, availability: availability["raw"] as? Double)
        }
        return result
    }

    /// `function(probe_success[window])` over `[from, to)`, per target and vantage: evaluated at
    /// `to − 1 ms` over a range 1 ms shorter than the window, because Prometheus 2's range selector
    /// includes both ends.
    private func received(_ prometheus: RemoteWritePrometheus, _ function: String, from: Double, to: Double) throws
        -> [Key: Double]
    {
        let range = Int((to - from) * 1000) - 1
        let results = try prometheus.query("\(function)(probe_success[\(range)ms])", at: to - 0.001)
        var values: [Key: Double] = [:]
        for result in results {
            values[Key(target: result.labels["target"] ?? "?", vantage: result.labels["vantage"] ?? "?")] = result.value
        }
        return values
    }

    private func metricValue(_ exposition: String, _ series: String) -> Double? {
        for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    private func waitForLog(_ run: RunningISPWatch, _ text: String) async throws {
        for _ in 0..<400 {
            if run.standardError.contains(text) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CLITestError("ispwatch never logged \"\(text)\":\n\(run.standardError)")
    }

    private func waitForExit(_ run: RunningISPWatch) async throws -> Int32 {
        for _ in 0..<400 where run.process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        return try run.waitForExit(timeout: 0.1)
    }
}
