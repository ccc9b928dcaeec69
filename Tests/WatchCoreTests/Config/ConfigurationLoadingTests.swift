import Testing
import WatchCore

/// A full configuration that uses every key; the tests check that each lands in the typed model.
let fullExample = """
    vantage: {id: hanoi-vnpt-1, region: hanoi, network: vnpt, labels: {site: dc1}}
    defaults: {interval: 30s, timeout: 5s, ip_family: v4}
    providers:
      - {id: viettel, name: Viettel, country: VN, labels: {asn: "7552"}}
      - {id: p}
    targets:
      - id: viettel-dns-hn-1
        provider: viettel
        service: dns
        region: hanoi
        labels: {tier: resolver}
        ip_family: both
        dns:
          server: dns.viettel.example
          port: 5353
          query_name: www.google.com
          query_type: AAAA
          recursion_desired: false
          transport: tcp
          edns_buffer_size: 4096
          expect: {rcodes: [NOERROR, NXDOMAIN], answer_contains: ["2001:db8::1"], answer_matches: "IN AAAA", min_answers: 1}
      - id: viettel-portal
        provider: viettel
        interval: 1m30s
        timeout: 10s
        http:
          url: https://viettel.vn/
          method: HEAD
          headers: {User-Agent: ispwatch, Accept: text/html}
          follow_redirects: false
          max_redirects: 3
          body_size_limit: 512KiB
          insecure: true
          ca_file: /etc/ispwatch/ca.pem
          fail_if_not_tls: true
          reuse_connection: true
          expect:
            status: "200-299,301"
            body_contains: [Viettel]
            body_matches: ["<title>.*</title>"]
            body_not_matches: [error]
            headers: {Server: "^nginx"}
      - {id: x, provider: p, tcp: {host: 1.2.3.4, port: 443}}
      - {id: y, provider: p, ip_family: v6, icmp: {host: "2001:db8::7", count: 5, spacing: 200ms, payload_size: 100, max_loss: 0.2}}
    """

struct ConfigurationLoadingTests {
    @Test func fullExampleLoadsIntoTheExpectedTypedValues() throws {
        let configuration = try Configuration.load(yaml: fullExample, path: "full.yaml")

        #expect(configuration.vantage?.id == "hanoi-vnpt-1")
        #expect(configuration.vantage?.region == "hanoi")
        #expect(configuration.vantage?.network == "vnpt")
        #expect(configuration.vantage?.labels == ["site": "dc1"])
        #expect(configuration.providers.map(\.id) == ["viettel", "p"])
        #expect(configuration.providers[0].name == "Viettel")
        #expect(configuration.providers[0].country == "VN")
        #expect(configuration.providers[0].labels == ["asn": "7552"])
        #expect(configuration.providers[1].name == "p")
        #expect(configuration.targets.map(\.id) == ["viettel-dns-hn-1", "viettel-portal", "x", "y"])

        let dnsTarget = configuration.targets[0]
        #expect(dnsTarget.provider == "viettel")
        #expect(dnsTarget.service == "dns")
        #expect(dnsTarget.region == "hanoi")
        #expect(dnsTarget.labels == ["tier": "resolver"])
        #expect(dnsTarget.interval == .seconds(30))
        #expect(dnsTarget.timeout == .seconds(5))
        #expect(dnsTarget.ipFamilies == .both)
        #expect(dnsTarget.definedAt == SourceLocation(file: "full.yaml", line: 7, column: 9))
        let expectedDNS = DNSProbeSpec(
            server: "dns.viettel.example", port: 5353, queryName: "www.google.com", queryType: .aaaa,
            recursionDesired: false, transport: .tcp, ednsBufferSize: 4096,
            expectations: DNSExpectations(
                validRcodes: [.noError, .nxDomain], answerContains: ["2001:db8::1"], answerMatches: "IN AAAA",
                minimumAnswers: 1))
        #expect(dnsTarget.spec == .dns(expectedDNS))

        let httpTarget = configuration.targets[1]
        #expect(httpTarget.service == "http")
        #expect(httpTarget.interval == .seconds(90))
        #expect(httpTarget.timeout == .seconds(10))
        let expectedHTTP = HTTPProbeSpec(
            url: "https://viettel.vn/", method: "HEAD",
            headers: [HTTPHeaderField(name: "User-Agent", value: "ispwatch"),
                      HTTPHeaderField(name: "Accept", value: "text/html")],
            followRedirects: false, maximumRedirects: 3,
            validStatusCodes: StatusCodeSet([200...299, 301...301]), bodyContains: ["Viettel"],
            bodyMatches: ["<title>.*</title>"], bodyNotMatches: ["error"],
            headerMatches: [HeaderExpectation(name: "Server", pattern: "^nginx")], bodySizeLimit: 512 * 1024,
            insecureSkipVerify: true, caFile: "/etc/ispwatch/ca.pem", failIfNotTLS: true, reuseConnection: true)
        #expect(httpTarget.spec == .http(expectedHTTP))

        #expect(configuration.targets[2].spec == .tcp(TCPProbeSpec(host: "1.2.3.4", port: 443)))
        #expect(configuration.targets[2].ipFamilies == .v4)
        #expect(configuration.targets[3].spec == .icmp(ICMPProbeSpec(
            host: "2001:db8::7", count: 5, spacing: .milliseconds(200), payloadSize: 100, maximumLoss: 0.2)))
        #expect(configuration.targets[3].ipFamilies == .v6)
    }

    @Test func specDefaultsApplyWhenKeysAreLeftOut() throws {
        let configuration = try Configuration.load(yaml: """
            providers: [{id: p}]
            targets:
              - {id: d, provider: p, dns: {server: 192.0.2.53, query_name: example.vn}}
              - {id: h, provider: p, http: {url: "http://portal.example.vn"}}
            """, path: "defaults.yaml")
        #expect(configuration.targets[0].spec == .dns(DNSProbeSpec(server: "192.0.2.53", queryName: "example.vn")))
        #expect(configuration.targets[1].spec == .http(HTTPProbeSpec(url: "http://portal.example.vn")))
        #expect(configuration.targets[1].interval == TargetDefaults.standard.interval)
        #expect(configuration.targets[1].timeout == TargetDefaults.standard.timeout)
        #expect(configuration.defaults == .standard)
        #expect(configuration.vantage == nil)
    }

    @Test func anIPLiteralDecidesTheFamilyWhenTheTargetDoesNotSay() throws {
        let configuration = try Configuration.load(yaml: """
            defaults: {ip_family: both}
            providers: [{id: p}]
            targets:
              - {id: six, provider: p, tcp: {host: "2001:db8::1", port: 53}}
              - {id: four, provider: p, tcp: {host: 192.0.2.1, port: 53}}
              - {id: name, provider: p, tcp: {host: dns.example.vn, port: 53}}
            """, path: "families.yaml")
        #expect(configuration.targets.map(\.ipFamilies) == [.v6, .v4, .both])
    }

    @Test func bothFamiliesExpandToTwoRequestsAndTwoSeries() throws {
        let configuration = try Configuration.load(yaml: fullExample, path: "full.yaml")
        let target = configuration.targets[0]
        let slot = Timestamp(nanosecondsSinceEpoch: 1_000)
        let requests = target.requests(scheduledAt: slot)
        #expect(requests.map(\.ipFamily) == [.v4, .v6])
        #expect(requests.allSatisfy { $0.target == target.id && $0.timeout == .seconds(5) && $0.scheduledAt == slot })
        #expect(requests.allSatisfy { $0.spec == target.spec })
        #expect(target.seriesKeys(vantage: "hanoi-vnpt-1").map(\.description)
                == ["viettel-dns-hn-1/hanoi-vnpt-1/v4", "viettel-dns-hn-1/hanoi-vnpt-1/v6"])
        // Four targets, one of them over both families.
        #expect(configuration.series.count == 5)
        #expect(Set(configuration.series).count == 5)
    }

    @Test func anEmptyFileIsAnEmptyConfiguration() throws {
        let configuration = try Configuration.load(yaml: "# nothing yet\n", path: "empty.yaml")
        #expect(configuration.targets.isEmpty && configuration.providers.isEmpty)
    }
}

struct ConfigurationScaleTests {
    /// A fleet-sized file loads in one pass; the bound is loose (a debug build on a busy 2-core
    /// machine loads 10,000 targets in about 2 s of CPU) and only catches an accidental quadratic.
    @Test func twoThousandTargetsLoadWithinSeconds() throws {
        var yaml = "providers: [{id: p}]\ntargets:\n"
        for index in 0..<2_000 {
            yaml += "  - {id: t\(index), provider: p, ip_family: both, dns: {server: dns\(index).example.vn, "
                + "query_name: www.example.vn, expect: {rcodes: [NOERROR], answer_matches: \"IN A\"}}}\n"
        }
        let clock = ContinuousClock()
        let start = clock.now
        let configuration = try Configuration.load(yaml: yaml, path: "big.yaml")
        let elapsed = clock.now - start
        #expect(configuration.targets.count == 2_000)
        #expect(configuration.series.count == 4_000)
        #expect(elapsed < .seconds(10), "loading 2,000 targets took \(elapsed)")
    }
}
