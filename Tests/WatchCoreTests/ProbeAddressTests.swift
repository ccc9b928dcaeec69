import Testing
import WatchCore

struct ProbeAddressTests {
    @Test func dnsAddressCarriesServerPortNameAndType() throws {
        let spec = try ProbeAddress.parse("dns://127.0.0.1:5353/www.isp.test?type=AAAA&tcp")
        guard case .dns(let dns) = spec else { Issue.record("not dns: \(spec)"); return }
        #expect(dns.server == "127.0.0.1")
        #expect(dns.port == 5353)
        #expect(dns.queryName == "www.isp.test")
        #expect(dns.queryType == .aaaa)
        #expect(dns.transport == .tcp)
    }

    @Test func dnsAddressDefaultsToPort53AndTypeA() throws {
        guard case .dns(let dns) = try ProbeAddress.parse("dns://[::1]/isp.test") else {
            Issue.record("not dns"); return
        }
        #expect(dns.server == "::1")
        #expect(dns.port == 53)
        #expect(dns.queryType == .a)
    }

    @Test func tcpAndICMPAddressesParse() throws {
        #expect(try ProbeAddress.parse("tcp://[::1]:443") == .tcp(TCPProbeSpec(host: "::1", port: 443)))
        guard case .icmp(let icmp) = try ProbeAddress.parse("icmp://127.0.0.1?count=5") else {
            Issue.record("not icmp"); return
        }
        #expect(icmp.host == "127.0.0.1")
        #expect(icmp.count == 5)
    }

    @Test func httpsAddressIsTheURL() throws {
        #expect(try ProbeAddress.parse("https://127.0.0.1:8443/x") == .http(HTTPProbeSpec(url: "https://127.0.0.1:8443/x")))
    }

    @Test(arguments: [
        ("127.0.0.1", "no scheme"),
        ("gopher://x", "unknown scheme"),
        ("tcp://127.0.0.1", "needs a port"),
        ("tcp://127.0.0.1:70000", "port '70000'"),
        ("dns://127.0.0.1", "names no question"),
        ("dns://127.0.0.1/x?type=BOGUS", "type=BOGUS"),
        ("icmp://h?count=0", "count=0"),
    ])
    func badAddressesSayWhatIsWrong(address: String, fragment: String) {
        do {
            _ = try ProbeAddress.parse(address)
            Issue.record("'\(address)' parsed")
        } catch {
            #expect(error.description.contains(fragment), "\(error.description)")
        }
    }
}
