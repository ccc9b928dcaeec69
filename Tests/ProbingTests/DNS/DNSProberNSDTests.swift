import Testing
import WatchCore

@testable import Probing

/// The DNS prober against a real authoritative server (nsd) on loopback.
@Suite(.serialized) struct DNSProberNSDTests {
    @Test func aRecordAnswerPassesEveryExpectation() async throws {
        try await NSDInstance.with { nsd in
            let prober = try DNSProber(configuration: .init(socketCount: 2))
            let expectations = DNSExpectations(
                answerContains: ["192.0.2.10"], answerMatches: #"^www\.isp\.test\. 300 IN A 192\.0\.2\.\d+$"#,
                minimumAnswers: 1)
            let result = await prober.probe(nsd.request(name: "WWW.isp.test", expectations: expectations))
            await prober.shutdown()
            #expect(result.success, "\(result.failureDetail ?? "")")
            #expect(result.code == 0)
            #expect(result.remoteAddress == "127.0.0.1")
            #expect(result.ipFamily == .v4)
            #expect(result.phases.request != nil)
            #expect(result.phases.connect != nil)
            #expect(result.checks.count == 4)
            #expect(result.checks.allSatisfy { $0.passed })
            guard case .dns(let detail) = result.detail else {
                Issue.record("no DNS detail")
                return
            }
            #expect(detail.answers == ["www.isp.test. 300 IN A 192.0.2.10"])
            #expect(detail.answerCount == 1)
            #expect(!detail.overTCP)
            #expect(!detail.retriedOverTCP)
        }
    }

    @Test(arguments: [
        (DNSRecordType.aaaa, "www.isp.test", "www.isp.test. 300 IN AAAA 2001:db8::10"),
        (.cname, "portal.isp.test", "portal.isp.test. 300 IN CNAME www.isp.test."),
        (.mx, "isp.test", "isp.test. 300 IN MX 10 mail.isp.test."),
        (.txt, "info.isp.test", "info.isp.test. 300 IN TXT \"v=spf1 -all\" \"second string\""),
        (.caa, "isp.test", "isp.test. 300 IN CAA 0 issue \"letsencrypt.org\""),
        (.soa, "isp.test", "isp.test. 300 IN SOA ns1.isp.test. hostmaster.isp.test. 2026112401 3600 900 604800 300"),
    ])
    func eachRecordTypeIsAnsweredInPresentationFormat(type: DNSRecordType, name: String, answer: String) async throws {
        try await NSDInstance.with { nsd in
            let prober = try DNSProber(configuration: .init(socketCount: 1))
            let result = await prober.probe(nsd.request(name: name, type: type))
            await prober.shutdown()
            #expect(result.success, "\(result.failureDetail ?? "")")
            guard case .dns(let detail) = result.detail else {
                Issue.record("no DNS detail")
                return
            }
            #expect(detail.answers.contains(answer), "\(detail.answers)")
            if type == .soa { #expect(detail.soaSerial == 2_026_112_401) }
        }
    }

    @Test func missingNameFailsAsNXDomainUnlessNXDomainIsAccepted() async throws {
        try await NSDInstance.with { nsd in
            let prober = try DNSProber(configuration: .init(socketCount: 1))
            let strict = await prober.probe(nsd.request(name: "nosuchname.isp.test"))
            let lenient = await prober.probe(
                nsd.request(name: "nosuchname.isp.test", expectations: DNSExpectations(validRcodes: [.nxDomain])))
            await prober.shutdown()
            #expect(!strict.success)
            #expect(strict.failure == .dnsNXDomain)
            #expect(strict.code == 3)
            #expect(strict.checks.first?.passed == false)
            guard case .dns(let detail) = strict.detail else {
                Issue.record("no DNS detail")
                return
            }
            #expect(detail.soaSerial == 2_026_112_401)
            #expect(lenient.success)
        }
    }

    @Test func refusedZoneFailsAsRefused() async throws {
        try await NSDInstance.with { nsd in
            let prober = try DNSProber(configuration: .init(socketCount: 1))
            let result = await prober.probe(nsd.request(name: "www.example.org"))
            await prober.shutdown()
            #expect(result.failure == .dnsRefused)
            #expect(result.code == 5)
        }
    }

    @Test func unmetAnswerExpectationsFailAsMismatch() async throws {
        try await NSDInstance.with { nsd in
            let prober = try DNSProber(configuration: .init(socketCount: 1))
            let contains = await prober.probe(
                nsd.request(name: "www.isp.test", expectations: DNSExpectations(answerContains: ["203.0.113.9"])))
            let matches = await prober.probe(
                nsd.request(name: "www.isp.test", expectations: DNSExpectations(answerMatches: "IN AAAA")))
            let count = await prober.probe(
                nsd.request(name: "www.isp.test", expectations: DNSExpectations(minimumAnswers: 2)))
            await prober.shutdown()
            for result in [contains, matches, count] {
                #expect(result.failure == .dnsMismatch)
                #expect(result.code == 0)
                #expect(result.checks.first?.passed == true)
                #expect(result.checks.last?.passed == false)
            }
        }
    }

    @Test func truncatedUDPAnswerIsRetriedOverTCP() async throws {
        try await NSDInstance.with { nsd in
            let prober = try DNSProber(configuration: .init(socketCount: 1))
            let result = await prober.probe(
                nsd.request(
                    name: "big.isp.test", ednsBufferSize: nil,
                    expectations: DNSExpectations(minimumAnswers: NSDInstance.bigRecordCount)))
            await prober.shutdown()
            #expect(result.success, "\(result.failureDetail ?? "")")
            guard case .dns(let detail) = result.detail else {
                Issue.record("no DNS detail")
                return
            }
            #expect(detail.retriedOverTCP)
            #expect(detail.overTCP)
            #expect(detail.answerCount == NSDInstance.bigRecordCount)
            #expect(result.phases.connect != nil)
        }
    }

    @Test func largeAnswerFitsInUDPWithEDNS() async throws {
        try await NSDInstance.with { nsd in
            let prober = try DNSProber(configuration: .init(socketCount: 1))
            let result = await prober.probe(nsd.request(name: "big.isp.test", ednsBufferSize: 4096))
            await prober.shutdown()
            guard case .dns(let detail) = result.detail else {
                Issue.record("no DNS detail")
                return
            }
            #expect(!detail.retriedOverTCP)
            #expect(detail.answerCount == NSDInstance.bigRecordCount)
        }
    }

    @Test func tcpTransportAsksOverTCPDirectly() async throws {
        try await NSDInstance.with { nsd in
            let prober = try DNSProber(configuration: .init(socketCount: 1))
            let result = await prober.probe(nsd.request(name: "www.isp.test", transport: .tcp))
            await prober.shutdown()
            #expect(result.success, "\(result.failureDetail ?? "")")
            guard case .dns(let detail) = result.detail else {
                Issue.record("no DNS detail")
                return
            }
            #expect(detail.overTCP)
            #expect(!detail.retriedOverTCP)
            #expect(result.phases.connect != nil)
        }
    }

    @Test func tcpToAClosedPortFailsAsRefused() async throws {
        let port = try FreePort.forTCPAndUDP()
        let prober = try DNSProber(configuration: .init(socketCount: 1))
        let result = await prober.probe(
            ProbeRequest(
                target: "closed",
                spec: .dns(DNSProbeSpec(server: "127.0.0.1", port: port, queryName: "www.isp.test", transport: .tcp)),
                timeout: .seconds(1)))
        await prober.shutdown()
        #expect(result.failure == .tcpRefused)
    }

    @Test func familyConflictAndHostNameServersFailClearly() async throws {
        let prober = try DNSProber(configuration: .init(socketCount: 1))
        let conflict = await prober.probe(
            ProbeRequest(
                target: "t", spec: .dns(DNSProbeSpec(server: "127.0.0.1", queryName: "www.isp.test")), ipFamily: .v6))
        let hostName = await prober.probe(
            ProbeRequest(target: "t", spec: .dns(DNSProbeSpec(server: "ns1.isp.test", queryName: "www.isp.test"))))
        let wrongKind = await prober.probe(
            ProbeRequest(target: "t", spec: .tcp(TCPProbeSpec(host: "127.0.0.1", port: 53))))
        await prober.shutdown()
        #expect(conflict.failure == .proberError)
        #expect(conflict.failureDetail?.contains("IPv6") == true)
        #expect(hostName.failure == .proberError)
        #expect(wrongKind.failure == .proberError)
    }

    @Test func twentyThousandConcurrentProbesAllSucceed() async throws {
        try await NSDInstance.with { nsd in
            let prober = try DNSProber()
            let total = 20_000
            let concurrency = 500
            let clock = ContinuousClock()
            let started = clock.now
            let request = nsd.request(name: "www.isp.test", timeout: .seconds(3))
            let failures = await withTaskGroup(of: ProbeResult.self) { group -> [ProbeResult] in
                var failures: [ProbeResult] = []
                var launched = 0
                while launched < concurrency {
                    group.addTask { await prober.probe(request) }
                    launched += 1
                }
                while let result = await group.next() {
                    if !result.success { failures.append(result) }
                    if launched < total && clock.now - started < .seconds(60) {
                        group.addTask { await prober.probe(request) }
                        launched += 1
                    }
                }
                #expect(launched == total, "the load loop stopped at its time bound")
                return failures
            }
            await prober.shutdown()
            #expect(failures.isEmpty, "\(failures.count) of \(total) failed, first: \(failures.first.map { "\($0.failure!) \($0.failureDetail ?? "")" } ?? "")")
        }
    }
}
