import Foundation
import Probing
import Testing
import WatchCore

/// The HTTP prober against peers that break the rules, and certificates that should not verify.
@Suite struct HTTPProberHostilePeerTests {
    private func probe(_ spec: HTTPProbeSpec, timeout: Duration) async throws -> (ProbeResult, Duration) {
        let prober = try HTTPProber()
        let started = ContinuousClock.now
        let result = await prober.probe(ProbeRequest(target: "hostile", spec: .http(spec), timeout: timeout))
        let elapsed = ContinuousClock.now - started
        await prober.shutdown()
        return (result, elapsed)
    }

    @Test func peerDrippingOneBytePerSecondTimesOutWithinTheTimeout() async throws {
        let peer = try HostileHTTPPeer(.dripOneBytePerSecond)
        defer { peer.stop() }
        let (result, elapsed) = try await probe(HTTPProbeSpec(url: peer.url), timeout: .milliseconds(2500))
        #expect([.httpTimeout, .transferTimeout].contains(result.failure), "\(result.failureDetail ?? "")")
        #expect(elapsed >= .milliseconds(2400))
        #expect(elapsed < .milliseconds(3000), "took \(elapsed)")
        #expect(result.phases.connect != nil)
    }

    @Test func endlessBodyStopsAtTheBodyLimit() async throws {
        let peer = try HostileHTTPPeer(.endlessBody)
        defer { peer.stop() }
        let (result, elapsed) = try await probe(HTTPProbeSpec(url: peer.url, bodySizeLimit: 256 << 10),
                                                timeout: .seconds(5))
        #expect(result.failure == .bodyTooLarge, "\(result.failureDetail ?? "")")
        #expect(result.code == 200)
        #expect(elapsed < .seconds(2), "took \(elapsed)")
    }

    @Test func garbageReplyIsAProtocolError() async throws {
        let peer = try HostileHTTPPeer(.garbage)
        defer { peer.stop() }
        let (result, _) = try await probe(HTTPProbeSpec(url: peer.url), timeout: .seconds(3))
        #expect(result.failure == .httpProtocol, "\(result.failureDetail ?? "")")
        #expect(result.failureDetail?.isEmpty == false)
    }

    @Test func peerThatClosesWithoutAnsweringIsAConnectionReset() async throws {
        let peer = try HostileHTTPPeer(.acceptAndClose)
        defer { peer.stop() }
        let (result, _) = try await probe(HTTPProbeSpec(url: peer.url), timeout: .seconds(3))
        #expect(result.failure == .connectionReset, "\(result.failureDetail ?? "")")
        #expect(result.failureDetail?.contains("52") == true)
    }

    @Test func closedPortIsRefused() async throws {
        try await FreePort.withClosedPort { port in
            let (result, elapsed) = try await probe(HTTPProbeSpec(url: "http://127.0.0.1:\(port)/"),
                                                    timeout: .seconds(3))
            #expect(result.failure == .tcpRefused, "\(result.failureDetail ?? "")")
            #expect(result.phases.connect == nil)
            #expect(elapsed < .seconds(1))
        }
    }

    @Test func expiredCertificateFailsWithTLSExpired() async throws {
        try await NginxFixture.with { nginx in
            let (result, _) = try await probe(HTTPProbeSpec(
                url: "https://127.0.0.1:\(nginx.expiredPort)/", caFile: nginx.certificates.caFile), timeout: .seconds(3))
            #expect(result.failure == .tlsExpired, "\(result.failureDetail ?? "")")
            #expect(result.failureDetail?.contains("expired") == true)
        }
    }

    @Test func expiredCertificateIsAcceptedAndReportedWhenVerificationIsSkipped() async throws {
        try await NginxFixture.with { nginx in
            let (result, _) = try await probe(HTTPProbeSpec(
                url: "https://127.0.0.1:\(nginx.expiredPort)/", insecureSkipVerify: true), timeout: .seconds(3))
            #expect(result.success, "\(result.failureDetail ?? "")")
            guard case .http(let detail) = result.detail else { throw TestFixtureError("no detail") }
            let expiry = try #require(detail.certificateExpiry)
            #expect(expiry.secondsSinceEpoch < Date().timeIntervalSince1970)
        }
    }

    @Test func untrustedCertificateFailsWithoutItsCA() async throws {
        try await NginxFixture.with { nginx in
            let (result, _) = try await probe(HTTPProbeSpec(url: nginx.url(tls: true)), timeout: .seconds(3))
            #expect(result.failure == .tlsCertificateInvalid, "\(result.failureDetail ?? "")")

            let (skipped, _) = try await probe(HTTPProbeSpec(url: nginx.url(tls: true), insecureSkipVerify: true),
                                               timeout: .seconds(3))
            #expect(skipped.success, "\(skipped.failureDetail ?? "")")
            #expect(skipped.phases.tls != nil)
        }
    }

    @Test func unreadableCAFileIsTheProbersOwnFault() async throws {
        try await NginxFixture.with { nginx in
            let (result, _) = try await probe(HTTPProbeSpec(
                url: nginx.url(tls: true), caFile: "/nonexistent/ispwatch-ca.pem"), timeout: .seconds(3))
            #expect(result.failure == .proberError, "\(result.failureDetail ?? "")")
            #expect(result.failure?.isProberFault == true)
        }
    }

    @Test func cancellingTheProbingTaskEndsTheProbeAtOnce() async throws {
        let peer = try HostileHTTPPeer(.dripOneBytePerSecond)
        defer { peer.stop() }
        let prober = try HTTPProber()
        let started = ContinuousClock.now
        let task = Task {
            await prober.probe(ProbeRequest(target: "hostile", spec: .http(HTTPProbeSpec(url: peer.url)),
                                            timeout: .seconds(10)))
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = await task.value
        let elapsed = ContinuousClock.now - started
        await prober.shutdown()
        #expect(result.failure == .proberError)
        #expect(result.failureDetail == "cancelled")
        #expect(elapsed < .seconds(2), "took \(elapsed)")
    }

    @Test func probeAfterShutdownFailsAsAProberError() async throws {
        let prober = try HTTPProber()
        await prober.shutdown()
        let result = await prober.probe(ProbeRequest(
            target: "after", spec: .http(HTTPProbeSpec(url: "http://127.0.0.1:1/")), timeout: .seconds(1)))
        #expect(result.failure == .proberError)
    }

    @Test func specOfAnotherKindFailsAsAProberError() async throws {
        let prober = try HTTPProber()
        let result = await prober.probe(ProbeRequest(
            target: "tcp", spec: .tcp(TCPProbeSpec(host: "127.0.0.1", port: 1)), timeout: .seconds(1)))
        await prober.shutdown()
        #expect(result.failure == .proberError)
        #expect(prober.kind == .http)
    }
}
