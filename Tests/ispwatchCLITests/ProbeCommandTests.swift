import Foundation
import Testing

/// `ispwatch probe` as a user types it, against a real nginx and nsd on loopback.
@Suite(.serialized) struct ProbeCommandTests {
    @Test func httpsProbeWithInsecureShowsPhasesAndExitsZero() throws {
        try LabServers.with { servers in
            let outcome = try ISPWatchBinary.run(["probe", "https://127.0.0.1:\(servers.httpsPort)/", "--insecure"])
            #expect(outcome.status == 0, "\(outcome.standardError)")
            #expect(outcome.standardOutput.contains("UP  200"))
            for phase in ["connect", "tls", "processing", "transfer"] {
                #expect(outcome.standardOutput.contains(phase), "no \(phase) in \(outcome.standardOutput)")
            }
            #expect(outcome.standardOutput.contains("certificate expires"))
        }
    }

    @Test func httpsProbeWithoutTrustFailsWithCertificateReasonAndExitsOne() throws {
        try LabServers.with { servers in
            let outcome = try ISPWatchBinary.run(["probe", "https://127.0.0.1:\(servers.httpsPort)/"])
            #expect(outcome.status == 1)
            #expect(outcome.standardOutput.contains("reason: tls_cert_invalid"), "\(outcome.standardOutput)")
        }
    }

    @Test func dnsProbeOfMissingNameIsNXDomainInJSON() throws {
        try LabServers.with { servers in
            let outcome = try ISPWatchBinary.run([
                "probe", "dns://127.0.0.1:\(servers.dnsPort)/nope.isp.test?type=AAAA", "--json",
            ])
            #expect(outcome.status == 1)
            let json = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
            #expect(json?["failure"] as? String == "dns_nxdomain")
            #expect(json?["code"] as? Int == 3)
            #expect(json?["success"] as? Bool == false)
        }
    }

    @Test func dnsProbeWithExpectationFindsTheAddress() throws {
        try LabServers.with { servers in
            let outcome = try ISPWatchBinary.run([
                "probe", "dns://127.0.0.1:\(servers.dnsPort)/www.isp.test", "--expect", "127.0.0.1",
            ])
            #expect(outcome.status == 0, "\(outcome.standardOutput)")
            #expect(outcome.standardOutput.contains("www.isp.test. 300 IN A 127.0.0.1"))
        }
    }

    @Test func tcpProbeOfTheHTTPPortSucceedsAndForcedIPv6FailsClearly() throws {
        try LabServers.with { servers in
            let up = try ISPWatchBinary.run(["probe", "tcp://127.0.0.1:\(servers.httpPort)"])
            #expect(up.status == 0, "\(up.standardOutput)")
            let mismatch = try ISPWatchBinary.run(["probe", "tcp://127.0.0.1:\(servers.httpPort)", "-6"])
            #expect(mismatch.status == 1)
            #expect(mismatch.standardOutput.contains("prober_error"), "\(mismatch.standardOutput)")
        }
    }

    @Test func repeatedProbesPrintAThroughputSummary() throws {
        try LabServers.with { servers in
            let outcome = try ISPWatchBinary.run([
                "probe", "http://127.0.0.1:\(servers.httpPort)/", "--repeat", "500", "--concurrency", "50", "--json",
            ])
            #expect(outcome.status == 0, "\(outcome.standardOutput)")
            let json = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
            #expect(json?["probes"] as? Int == 500)
            #expect(json?["successes"] as? Int == 500)
            #expect((json?["probesPerSecond"] as? Double ?? 0) > 0)
        }
    }

    @Test(arguments: [
        ["probe"],
        ["probe", "ftp://127.0.0.1/"],
        ["probe", "tcp://127.0.0.1:80", "-4", "-6"],
        ["probe", "tcp://127.0.0.1:80", "--repeat", "0"],
    ])
    func usageErrorsExitTwo(arguments: [String]) throws {
        let outcome = try ISPWatchBinary.run(arguments)
        #expect(outcome.status == 2, "\(arguments): \(outcome.standardError)")
        #expect(!outcome.standardError.isEmpty)
    }
}
