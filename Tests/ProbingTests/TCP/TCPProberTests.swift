import Foundation
import Testing
import WatchCore
@testable import Probing

@Suite("TCP prober", .serialized)
struct TCPProberTests {
    private func request(_ host: String, _ port: Int, family: IPFamily? = nil,
                         timeout: Duration = .seconds(3)) -> ProbeRequest
    {
        ProbeRequest(target: "tcp-test", spec: .tcp(TCPProbeSpec(host: host, port: port)), ipFamily: family,
                     timeout: timeout)
    }

    @Test(arguments: [("127.0.0.1", IPFamily.v4), ("::1", IPFamily.v6)])
    func handshakeWithNginxSucceedsAndIsTimed(host: String, family: IPFamily) async throws {
        let prober = try TCPProber()
        try await NginxServer.withPlainListener { port in
            let result = await prober.probe(request(host, port))
            #expect(result.success, "\(result.failureDetail ?? "")")
            #expect(result.failure == nil)
            #expect(result.kind == .tcp)
            #expect(result.remoteAddress == host)
            #expect(result.ipFamily == family)
            let connect = try #require(result.phases.connect)
            #expect(connect > .zero && connect < .seconds(1))
            #expect(result.phases.resolve == nil, "an IP literal is not resolved")
            #expect(result.duration >= connect)
        }
        await prober.shutdown()
    }

    @Test func closedPortIsRefusedFast() async throws {
        let prober = try TCPProber()
        try await FreePort.withClosedPort { port in
            let result = await prober.probe(request("127.0.0.1", port, timeout: .seconds(5)))
            #expect(result.failure == .tcpRefused)
            #expect(!result.success)
            #expect(result.failureDetail?.contains("ECONNREFUSED") == true)
            #expect(result.duration < .milliseconds(500))
        }
        await prober.shutdown()
    }

    @Test func hostNameIsResolvedOnTheRequestedFamilyAndTimed() async throws {
        let prober = try TCPProber()
        try await NginxServer.withPlainListener { port in
            let result = await prober.probe(request("localhost", port, family: .v4))
            #expect(result.success, "\(result.failureDetail ?? "")")
            #expect(result.remoteAddress == "127.0.0.1")
            #expect(result.ipFamily == .v4)
            #expect(result.phases.resolve != nil)
            #expect(result.phases.connect != nil)
        }
        await prober.shutdown()
    }

    @Test func familyMismatchWithALiteralIsAProberError() async throws {
        let prober = try TCPProber()
        let result = await prober.probe(request("127.0.0.1", 80, family: .v6))
        #expect(result.failure == .proberError)
        #expect(result.failureDetail?.contains("IPv6") == true)
        #expect(result.phases.connect == nil)
        await prober.shutdown()
    }

    @Test func silentlyDroppedHandshakeTimesOutAtTheDeadline() async throws {
        try await NetworkNamespace.with { namespace in
            let prober = try await namespace.build { try TCPProber() }
            let timeout = Duration.milliseconds(800)
            let result = await prober.probe(request(NetworkNamespace.silentHost, 80, timeout: timeout))
            #expect(result.failure == .tcpTimeout, "\(result.failureDetail ?? "")")
            #expect(result.duration >= timeout)
            #expect(result.duration < timeout + .milliseconds(300))
            await prober.shutdown()
        }
    }

    @Test func missingRouteIsNetworkUnreachable() async throws {
        try await NetworkNamespace.with { namespace in
            let prober = try await namespace.build { try TCPProber() }
            let result = await prober.probe(request(NetworkNamespace.unroutedHost, 80))
            #expect(result.failure == .networkUnreachable, "\(result.failureDetail ?? "")")
            #expect(result.duration < .milliseconds(500))
            await prober.shutdown()
        }
    }

    @Test func shutdownCompletesProbesInFlight() async throws {
        try await NetworkNamespace.with { namespace in
            let prober = try await namespace.build { try TCPProber() }
            let started = ContinuousClock.now
            async let pending = prober.probe(request(NetworkNamespace.silentHost, 80, timeout: .seconds(30)))
            try await Task.sleep(for: .milliseconds(200))
            await prober.shutdown()
            let result = await pending
            #expect(result.failure == .proberError)
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func thousandsOfConcurrentConnectsAllSucceed() async throws {
        let prober = try TCPProber()
        let total = 5_000
        let inFlight = 500
        let started = ContinuousClock.now
        let failures = try await NginxServer.withPlainListener { port in
            await withTaskGroup(of: ProbeResult.self) { group in
                var submitted = 0
                var failures: [ProbeResult] = []
                for _ in 0..<inFlight {
                    group.addTask { await prober.probe(request("127.0.0.1", port, timeout: .seconds(5))) }
                    submitted += 1
                }
                for await result in group {
                    if !result.success { failures.append(result) }
                    if submitted < total {
                        group.addTask { await prober.probe(request("127.0.0.1", port, timeout: .seconds(5))) }
                        submitted += 1
                    }
                }
                return failures
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failed, first: \(failures.first?.failureDetail ?? "")")
        #expect(ContinuousClock.now - started < .seconds(30))
        await prober.shutdown()
    }
}
