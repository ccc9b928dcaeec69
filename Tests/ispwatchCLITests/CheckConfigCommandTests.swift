import Foundation
import Testing

/// `ispwatch check-config` exit statuses and messages, as promtool users expect them.
struct CheckConfigCommandTests {
    private func write(_ yaml: String) throws -> String {
        let path = NSTemporaryDirectory() + "ispwatch-check-\(UUID().uuidString).yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func shippedTargetFilesAreValid() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let outcome = try ISPWatchBinary.run([
            "check-config", repository.appendingPathComponent("targets/example.yaml").path,
            repository.appendingPathComponent("targets/vn-isps.yaml").path,
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("example.yaml: ok"))
    }

    @Test func aBadFileIsReportedAtItsLineAndExitsOne() throws {
        let path = try write("""
            providers:
              - {id: p, name: P}
            targets:
              - id: t
                provider: p
                interval: 5s
                timeout: 10s
                tcp: {host: 127.0.0.1, port: 80}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try ISPWatchBinary.run(["check-config", path])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("\(path):7:"), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("targets[0].timeout"))
    }

    @Test func aMissingFileExitsTwo() throws {
        let outcome = try ISPWatchBinary.run(["check-config", "/nonexistent/ispwatch.yaml"])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("no such file"))
    }

    @Test func probeOfAConfiguredTargetUsesItsSpec() throws {
        let path = try write("""
            providers:
              - {id: p, name: P}
            targets:
              - id: closed-port
                provider: p
                tcp: {host: 127.0.0.1, port: 1}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try ISPWatchBinary.run(["probe", "--config", path, "--target", "closed-port"])
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput.contains("tcp_refused"), "\(outcome.standardOutput)")
        let unknown = try ISPWatchBinary.run(["probe", "--config", path, "--target", "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("closed-port"))
    }
}
