import Testing
import WatchCore

@testable import Probing

/// The engine runs probes of every kind at once and never keeps more in flight than asked.
@Suite struct ProbeEngineTests {
    @Test func mixedKindsRunTogetherWithinTheInFlightBound() async throws {
        try await FreePort.withClosedPort { closedPort in
            let kinds: [ProbeSpec] = [
                .tcp(TCPProbeSpec(host: "127.0.0.1", port: closedPort)),
                .http(HTTPProbeSpec(url: "http://127.0.0.1:\(closedPort)/")),
                .icmp(ICMPProbeSpec(host: "127.0.0.1", count: 1)),
            ]
            let requests = (0..<3_000).map { index in
                ProbeRequest(target: TargetID("t\(index)"), spec: kinds[index % kinds.count], timeout: .seconds(5))
            }
            let bound = 40
            var maximumSeen = 0
            var reasons: [ProbeKind: Set<FailureReason?>] = [:]
            try await ProbeEngine.withEngine { engine in
                await engine.run(requests, maximumInFlight: bound) { result in
                    maximumSeen = max(maximumSeen, engine.probesInFlight)
                    reasons[result.kind, default: []].insert(result.failure)
                }
                #expect(engine.probesInFlight == 0)
            }
            #expect(maximumSeen <= bound, "saw \(maximumSeen) probes in flight with a bound of \(bound)")
            #expect(maximumSeen > 1, "probes never overlapped")
            #expect(reasons[.tcp] == [.tcpRefused])
            #expect(reasons[.http] == [.tcpRefused])
            // ICMP needs a socket permission: with it every echo comes back, without it every
            // probe says why; either way no other outcome.
            #expect(reasons[.icmp] == [nil] || reasons[.icmp] == [.proberError])
        }
    }

    @Test func aRequestOfEveryKindGetsItsOwnProber() async throws {
        try await ProbeEngine.withEngine { engine in
            let result = await engine.probe(
                ProbeRequest(target: "dns", spec: .dns(DNSProbeSpec(server: "not-an-ip", queryName: "x")),
                             timeout: .seconds(1)))
            #expect(result.kind == .dns)
            #expect(result.failure == .proberError)
        }
    }
}
