import Testing
@testable import WatchCore

/// Loaded targets are copied out of the YAML tree's memory (see `Target.withFreshStorage()`): the
/// copy must be the same target, with its long strings and its arrays in storage of their own.
struct TargetFreshStorageTests {
    private static let longHost = "resolver-primary.hanoi.viettel.test"

    private static let targets: [Target] = [
        Target(id: "viettel-dns-hanoi-primary-1", provider: "viettel-telecom-group", service: "recursive-dns",
               region: "hanoi-north-region", labels: ["tier_of_service_long": "gold-level-long-value", "a": "b"],
               spec: .dns(DNSProbeSpec(server: longHost, queryName: "www.viettel-portal.example.vn",
                                       expectations: DNSExpectations(validRcodes: [.noError, .nxDomain],
                                                                     answerContains: ["203.113.131.1", "2001:ee0:4:1::1:1"],
                                                                     answerMatches: "^203\\.113\\.[0-9]+\\.[0-9]+$")))),
        Target(id: "vnpt-portal-hochiminh-main", provider: "vnpt", region: nil,
               spec: .http(HTTPProbeSpec(
                   url: "https://portal.vnpt.example.vn/status/health", method: "POST",
                   headers: [HTTPHeaderField(name: "X-Requested-By-Probe", value: "ispwatch regulator vantage")],
                   body: "{\"check\": \"availability of the portal\"}", validStatusCodes: StatusCodeSet([200...204, 301...302]),
                   bodyContains: ["service is operating normally"], bodyMatches: ["operating (normally|fine)"],
                   bodyNotMatches: ["maintenance window in progress"],
                   headerMatches: [HeaderExpectation(name: "Content-Security-Policy", pattern: "default-src 'self'.*")],
                   caFile: "/etc/ispwatch/ca/vnpt-root-certificate.pem"))),
        Target(id: "fpt-smtp-danang-relay-1", provider: "fpt", spec: .tcp(TCPProbeSpec(host: longHost, port: 25))),
        Target(id: "t1", provider: "p", spec: .icmp(ICMPProbeSpec(host: "gateway.fpt-telecom.example.vn"))),
    ]

    @Test func theCopyIsTheSameTarget() {
        for target in Self.targets { #expect(target.withFreshStorage() == target) }
    }

    @Test func longStringsAndArraysLeaveTheOriginalStorage() {
        func address(_ string: String) -> UnsafeRawPointer? {
            string.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
        }
        func address<Element>(_ array: [Element]) -> UnsafeRawPointer? {
            array.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
        }
        let original = Self.targets[0], copy = original.withFreshStorage()
        #expect(address(copy.id.rawValue) != address(original.id.rawValue))
        #expect(address(copy.provider) != address(original.provider))
        #expect(address(copy.region!) != address(original.region!))
        guard case .dns(let before) = original.spec, case .dns(let after) = copy.spec else {
            Issue.record("not a DNS spec")
            return
        }
        #expect(address(after.server) != address(before.server))
        #expect(address(after.expectations.answerContains) != address(before.expectations.answerContains))
        #expect(address(after.expectations.validRcodes) != address(before.expectations.validRcodes))

        let http = Self.targets[1].withFreshStorage()
        guard case .http(let copied) = http.spec, case .http(let source) = Self.targets[1].spec else {
            Issue.record("not an HTTP spec")
            return
        }
        #expect(address(copied.url) != address(source.url))
        #expect(address(copied.validStatusCodes.ranges) != address(source.validStatusCodes.ranges))
        #expect(address(copied.headers) != address(source.headers))
    }

    @Test func loadingGivesTheSameConfigurationAsTheDecoderBuilt() throws {
        // Loading copies every target; what check-config, run and the reports see must not change.
        let yaml = """
        providers: [{id: viettel-telecom-group}]
        targets:
          - {id: viettel-dns-hanoi-primary-1, provider: viettel-telecom-group, region: hanoi-north-region,
             labels: {tier_of_service_long: gold-level-long-value},
             dns: {server: \(Self.longHost), query_name: www.viettel-portal.example.vn,
                   expect: {answer_contains: [203.113.131.1]}}}
          - {id: viettel-portal-1, provider: viettel-telecom-group,
             http: {url: "https://portal.viettel.example.vn/status/health", expect: {status: "200-204"}}}
        """
        let configuration = try Configuration.load(yaml: yaml, path: "fresh.yaml")
        #expect(configuration.targets.count == 2)
        #expect(configuration.targets[0].labels == ["tier_of_service_long": "gold-level-long-value"])
        #expect(configuration.targets.map { $0.withFreshStorage() } == configuration.targets)
        guard case .dns(let dns) = configuration.targets[0].spec else {
            Issue.record("not a DNS spec")
            return
        }
        #expect(dns.server == Self.longHost && dns.expectations.answerContains == ["203.113.131.1"])
    }
}
