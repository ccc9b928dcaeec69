import NIOCore
import NIOPosix
import Testing
import WatchCore

@testable import Probing

/// The TCP path against peers that misbehave: each probe ends with the right failure within its
/// timeout.
@Suite struct DNSProberTCPPeerTests {
    static let timeout = Duration.milliseconds(400)
    static let slack = Duration.milliseconds(150)

    /// A TCP listener on 127.0.0.1 whose connections either close at once or stay silent.
    private func listener(closeImmediately: Bool) async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                closeImmediately ? channel.close() : channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    private func probeOverTCP(port: Int) async throws -> ProbeResult {
        let prober = try DNSProber(configuration: .init(socketCount: 1))
        let result = await prober.probe(
            ProbeRequest(
                target: "tcp-peer",
                spec: .dns(DNSProbeSpec(server: "127.0.0.1", port: port, queryName: "www.isp.test", transport: .tcp)),
                timeout: Self.timeout))
        await prober.shutdown()
        #expect(result.duration < Self.timeout + Self.slack)
        return result
    }

    @Test func peerThatClosesTheConnectionFailsAsReset() async throws {
        let server = try await listener(closeImmediately: true)
        let result = try await probeOverTCP(port: server.localAddress?.port ?? 0)
        try await server.close()
        #expect(result.failure == .connectionReset)
        guard case .dns(let detail) = result.detail else {
            Issue.record("no DNS detail")
            return
        }
        #expect(detail.overTCP)
    }

    @Test func peerThatAcceptsButNeverAnswersTimesOut() async throws {
        let server = try await listener(closeImmediately: false)
        let result = try await probeOverTCP(port: server.localAddress?.port ?? 0)
        try await server.close()
        #expect(result.failure == .dnsTimeout)
        #expect(result.duration >= Self.timeout)
        #expect(result.phases.connect != nil)
    }

    @Test func truncatedUDPAnswerWithNoTCPListenerFailsAsRefused() async throws {
        let peer = try await HostileDNSPeer { query in
            var reply = ReplyForge.questionEcho(query, answerCount: 0)
            reply[2] |= 0x02  // TC
            return [reply]
        }
        let prober = try DNSProber(configuration: .init(socketCount: 1))
        let result = await prober.probe(peer.request(timeout: Self.timeout))
        await prober.shutdown()
        await peer.close()
        #expect(result.failure == .tcpRefused)
        guard case .dns(let detail) = result.detail else {
            Issue.record("no DNS detail")
            return
        }
        #expect(detail.retriedOverTCP)
    }
}
