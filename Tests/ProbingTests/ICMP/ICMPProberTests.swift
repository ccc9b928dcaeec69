import Foundation
import Testing
import WatchCore
@testable import Probing

@Suite("ICMP prober", .serialized)
struct ICMPProberTests {
    private func request(_ host: String, count: Int = 3, spacing: Duration = .milliseconds(20),
                         maximumLoss: Double = 0.5, family: IPFamily? = nil,
                         timeout: Duration = .seconds(2)) -> ProbeRequest
    {
        ProbeRequest(target: "icmp-test",
                     spec: .icmp(ICMPProbeSpec(host: host, count: count, spacing: spacing, maximumLoss: maximumLoss)),
                     ipFamily: family, timeout: timeout)
    }

    @Test(arguments: [("127.0.0.1", IPFamily.v4), ("::1", IPFamily.v6)])
    func everyEchoToLoopbackComesBack(host: String, family: IPFamily) async throws {
        let prober = try ICMPProber()
        let result = await prober.probe(request(host))
        #expect(result.success, "\(result.failureDetail ?? "")")
        #expect(result.remoteAddress == host)
        #expect(result.ipFamily == family)
        guard case .icmp(let detail) = result.detail else {
            Issue.record("no ICMP detail in \(result)")
            return
        }
        #expect(detail.sent == 3)
        #expect(detail.received == 3)
        let rtt = try #require(result.phases.rtt)
        let minimum = try #require(detail.minimumRTT)
        let maximum = try #require(detail.maximumRTT)
        #expect(rtt > .zero && rtt < .milliseconds(100))
        #expect(minimum <= rtt && rtt <= maximum)
        #expect(detail.replyHopLimit == 64)
        // Three echoes 20 ms apart: the probe ends after the third reply, not at the deadline.
        #expect(result.duration >= .milliseconds(40) && result.duration < .seconds(1))
        await prober.shutdown()
    }

    @Test func releasingAProberWithoutShutdownStopsItsLoopSafely() async throws {
        var prober: ICMPProber? = try ICMPProber()
        let result = await prober!.probe(request("127.0.0.1", count: 1))
        #expect(result.success)
        // Probes of a released prober were all finished; its loop stops on its own thread.
        prober = nil
        try await Task.sleep(for: .milliseconds(100))
        let again = try ICMPProber()
        #expect(await again.probe(request("127.0.0.1", count: 1)).success)
        await again.shutdown()
    }

    @Test func hostNameIsResolvedOnTheRequestedFamily() async throws {
        let prober = try ICMPProber()
        // /etc/hosts maps localhost to 127.0.0.1 everywhere; ::1 is not everywhere.
        let result = await prober.probe(request("localhost", count: 1, family: .v4))
        #expect(result.success, "\(result.failureDetail ?? "")")
        #expect(result.remoteAddress == "127.0.0.1")
        #expect(result.phases.resolve != nil)
        await prober.shutdown()
    }

    @Test func familyMismatchWithALiteralIsAProberError() async throws {
        let prober = try ICMPProber()
        let result = await prober.probe(request("::1", family: .v4))
        #expect(result.failure == .proberError)
        await prober.shutdown()
    }

    @Test(arguments: [("127.0.0.1", IPFamily.v4), ("::1", IPFamily.v6)])
    func datagramPingSocketWorksWhereThePingGroupAllowsIt(host: String, family: IPFamily) async throws {
        try await NetworkNamespace.with(pingGroupRange: "0 2147483647") { namespace in
            let prober = try await namespace.build {
                try ICMPProber(configuration: .init(socketKind: .datagram))
            }
            #expect(prober.usesRawSocket(for: family) == false)
            let result = await prober.probe(request(host))
            #expect(result.success, "\(result.failureDetail ?? "")")
            guard case .icmp(let detail) = result.detail else {
                Issue.record("no ICMP detail in \(result)")
                return
            }
            #expect(detail.received == 3)
            #expect(detail.replyHopLimit == 64, "IP_RECVTTL / IPV6_RECVHOPLIMIT control message")
            await prober.shutdown()
        }
    }

    @Test func refusedSocketsExplainHowToAllowThem() async throws {
        try await NetworkNamespace.with(pingGroupRange: nil) { namespace in
            let error = await #expect(throws: ProberSetupError.self) {
                _ = try await namespace.build { try ICMPProber(configuration: .init(socketKind: .datagram)) }
            }
            #expect(error?.message.contains("net.ipv4.ping_group_range") == true)
        }
    }

    @Test func unansweredEchoesTimeOutAtTheDeadline() async throws {
        try await NetworkNamespace.with { namespace in
            let prober = try await namespace.build { try ICMPProber() }
            let timeout = Duration.milliseconds(600)
            let result = await prober.probe(request(NetworkNamespace.silentHost, count: 2, timeout: timeout))
            #expect(result.failure == .icmpTimeout, "\(result.failureDetail ?? "")")
            #expect(result.phases.rtt == nil)
            if case .icmp(let detail) = result.detail {
                #expect(detail.sent == 2)
                #expect(detail.received == 0)
            }
            #expect(result.duration >= timeout && result.duration < timeout + .milliseconds(300))
            await prober.shutdown()
        }
    }

    @Test func missingRouteIsNetworkUnreachable() async throws {
        try await NetworkNamespace.with { namespace in
            let prober = try await namespace.build { try ICMPProber() }
            let result = await prober.probe(request(NetworkNamespace.unroutedHost, count: 1, timeout: .seconds(2)))
            #expect(result.failure == .networkUnreachable, "\(result.failureDetail ?? "")")
            #expect(result.duration < .milliseconds(500), "a refused send ends the probe without waiting")
            await prober.shutdown()
        }
    }

    @Test func thousandsOfConcurrentEchoesAllComeBack() async throws {
        let prober = try ICMPProber()
        let total = 10_000
        let inFlight = 1_000
        let started = ContinuousClock.now
        let failures = await withTaskGroup(of: ProbeResult.self) { group in
            var submitted = 0
            var failures: [ProbeResult] = []
            func submit() {
                let host = submitted.isMultiple(of: 2) ? "127.0.0.1" : "::1"
                group.addTask { await prober.probe(request(host, count: 1, timeout: .seconds(5))) }
                submitted += 1
            }
            for _ in 0..<inFlight { submit() }
            for await result in group {
                if !result.success { failures.append(result) }
                if submitted < total { submit() }
            }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.count) failed, first: \(failures.first?.failureDetail ?? "")")
        #expect(ContinuousClock.now - started < .seconds(30))
        await prober.shutdown()
    }
}
