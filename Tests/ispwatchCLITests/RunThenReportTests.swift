import Foundation
import Testing
import WatchCore

/// The whole chain on real parts: `ispwatch run` probes real nginx and nsd, the portal is stopped
/// and started, and `ispwatch report` over the store it wrote finds exactly one incident, at the
/// right time.
@Suite(.serialized) struct RunThenReportTests {
    @Test func aStoppedPortalIsOneIncidentInTheReportWithinASliceOfTheTruth() throws {
        try LabServers.with { lab in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            try directory.write("run.yaml", """
                vantage: {id: chain}
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
            let startedAt = Date()
            let run = try RunningISPWatch(
                ["run", "--config", "run.yaml", "--data", "store", "--metrics-address", "127.0.0.1:0", "--no-sync"],
                in: directory)
            try run.waitForLog("ispwatch run started")
            sleep(5)
            let stoppedAt = Date()
            lab.stopNginx()
            sleep(9)
            let restartedAt = Date()
            try lab.startNginx()
            sleep(9)
            run.send(SIGTERM)
            #expect(try run.waitForExit() == 0, "\(run.standardError)")

            // 2-second slices, K = M = 2: the 9-second outage is 4 or 5 DOWN slices.
            let report = try ISPWatchBinary.run([
                "report", "--data", "store", "--config", "run.yaml",
                "--from", "\(Timestamp(startedAt.addingTimeInterval(-1)))",
                "--to", "\(Timestamp(Date().addingTimeInterval(1)))",
                "--slice", "2s", "--open-after", "2", "--close-after", "2",
                "--format", "csv", "--table", "incidents",
            ], in: directory)
            #expect(report.status == 0, "\(report.standardError)")
            let rows = report.standardOutput.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let header = try #require(rows.first).map(String.init)
            let column = { (name: String) in header.firstIndex(of: name)! }
            let incidents = rows.dropFirst()
            #expect(incidents.count == 1, "\(report.standardOutput)")
            let incident = try #require(incidents.first)
            #expect(incident[column("target")] == "portal")
            #expect(incident[column("dominant_failure")] == "tcp_refused")
            let start = try #require(Timestamp(rfc3339: String(incident[column("start")])))
            let end = try #require(Timestamp(rfc3339: String(incident[column("end")])))
            // Within one slice (2 s) of the truth, plus the time nginx took to answer again.
            #expect(abs(start.seconds - stoppedAt.timeIntervalSince1970) <= 2.0, "start \(start), stopped \(stoppedAt)")
            #expect(end.seconds >= restartedAt.timeIntervalSince1970 - 2.0 && end.seconds <= restartedAt.timeIntervalSince1970 + 3.0,
                    "end \(end), restarted \(restartedAt)")
        }
    }
}

private extension Timestamp {
    init(_ date: Date) { self.init(nanosecondsSinceEpoch: Int64(date.timeIntervalSince1970 * 1e9)) }
    var seconds: Double { Double(nanosecondsSinceEpoch) / 1e9 }
}
