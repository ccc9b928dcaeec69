import Foundation
import Logging
import ServiceLifecycle
import Testing
import WatchCore
@testable import WatchServer

/// The routes behind Hummingbird on a real loopback socket, in-process: the bound port is learnt,
/// headers and limits are applied before the routes, and the service stops on graceful shutdown.
@Suite(.serialized) struct HummingbirdHostingTests {
    @Test func theServiceBindsAnyPortAppliesLimitsAndStopsGracefully() async throws {
        let fixture = try TenantFixture()
        defer { fixture.remove() }
        let service = WatchServer.makeService(
            configuration: fixture.configuration, dataDirectory: fixture.directory,
            address: .init(host: "127.0.0.1", port: 0), logger: Logger(label: "test"))
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let (host, port) = try await service.boundAddress.wait()
            #expect(host == "127.0.0.1" && port > 0)
            let base = "http://127.0.0.1:\(port)"
            let admin = ["-H", "Authorization: Bearer \(TenantFixture.adminToken)"]

            let providers = try await Self.curl(["-i"] + admin + ["\(base)/api/v1/providers"])
            #expect(providers.hasPrefix("HTTP/1.1 200"))
            #expect(providers.lowercased().contains("content-type: application/json"))
            #expect(providers.lowercased().contains("cache-control: no-store"))
            #expect(providers.contains("Viettel Telecom"))
            let head = try await Self.curl(["-I"] + admin + ["\(base)/api/v1/providers"])
            #expect(head.hasPrefix("HTTP/1.1 200") && !head.contains("Viettel"))
            let page = try await Self.curl(["-i", "\(base)/providers/fpt"])
            #expect(page.lowercased().contains("content-security-policy: default-src 'none'"))
            let unauthorized = try await Self.curl(["-i", "\(base)/api/v1/sla"])
            #expect(unauthorized.hasPrefix("HTTP/1.1 401") && unauthorized.contains("WWW-Authenticate: Bearer"))
            let body = String(repeating: "x", count: 20_000)
            #expect(try await Self.curl(["-o", "/dev/null", "-w", "%{http_code}", "--data", body, "\(base)/healthz"]) == "413")
            #expect(try await Self.curl(["-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "\(base)/healthz"]) == "405")

            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// curl's output (headers and body, or what `-w` prints), run off the cooperative pool.
    private static func curl(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let output = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: output) }
                do {
                    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                    process.arguments = ["-s", "--max-time", "30"] + arguments
                    process.standardOutput = try FileHandle(forWritingTo: output)
                    try process.run()
                    process.waitUntilExit()
                    continuation.resume(returning: try String(contentsOf: output, encoding: .utf8))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
