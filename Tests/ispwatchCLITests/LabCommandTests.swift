import Foundation
import Testing

/// `ispwatch lab`: a bad script is named by file and line; a good one runs until SIGINT with a
/// target configuration `run` accepts and `probe` can use.
@Suite struct LabCommandTests {
    @Test func badFaultScriptIsReportedAtItsFileAndLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("faults.yaml", "providers:\n  - id: a\n    faults:\n      - {kind: servfail, service: http, start: 1s}\n")
        let run = try ISPWatchBinary.run(["lab", "--script", "faults.yaml", "--dir", "lab"], in: directory, timeout: 20)
        #expect(run.status == 2)
        #expect(run.standardError.contains("faults.yaml:4:"), "\(run.standardError)")
        #expect(run.standardError.contains("servfail cannot act on http"))
    }

    @Test(.timeLimit(.minutes(1)))
    func labServesItsProvidersUntilInterrupted() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("faults.yaml", """
            providers:
              - id: up
                address: 127.0.0.31
              - id: broken
                address: 127.0.0.32
                faults:
                  - {kind: servfail, start: 0s}
            """)
        let lab = try DemoProcess(["lab", "--script", "faults.yaml", "--dir", "lab"], in: directory)
        try await lab.waitForOutput("Ctrl-C stops the lab", timeout: .seconds(20))
        #expect(lab.standardOutput.contains("127.0.0.31"))
        let config = directory.file("lab/lab-targets.yaml")
        let check = try ISPWatchBinary.run(["check-config", config], in: directory, timeout: 20)
        #expect(check.status == 0, "\(check.standardError)")
        let healthy = try ISPWatchBinary.run(["probe", "--config", config, "--target", "up-portal-tls"], in: directory, timeout: 20)
        #expect(healthy.status == 0, "\(healthy.standardOutput)")
        let broken = try ISPWatchBinary.run(["probe", "--config", config, "--target", "broken-dns"], in: directory, timeout: 20)
        #expect(broken.status == 1)
        #expect(broken.standardOutput.contains("dns_servfail"))
        kill(lab.process.processIdentifier, SIGINT)
        #expect(try await lab.exitStatus(within: .seconds(10)) == 0)
    }
}
