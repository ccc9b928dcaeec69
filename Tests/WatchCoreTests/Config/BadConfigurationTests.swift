import Testing
import WatchCore

/// One kind of bad configuration and the issue it must produce.
struct BadConfiguration: CustomTestStringConvertible, Sendable {
    var name: String
    var yaml: String
    /// `line:column` of the issue.
    var at: String
    var field: String
    /// A part of the message that says what to write instead.
    var says: String

    var testDescription: String { name }
}

/// The providers and the start of a target, shared by the cases below so that their line numbers
/// are easy to read: the target's own keys start at line 4.
private let head = """
    providers: [{id: viettel}]
    targets:
      - id: t1
        provider: viettel

    """

let badConfigurations: [BadConfiguration] = [
    BadConfiguration(
        name: "YAML syntax error", yaml: "targets:\n  - id: [unclosed\n", at: "3:1", field: "",
        says: "invalid YAML"),
    BadConfiguration(
        name: "duplicate key", yaml: head + "    provider: other\n    tcp: {host: 1.2.3.4, port: 1}\n",
        at: "5:5", field: "", says: "key \"provider\" is already written at line 4, column 5 of this mapping"),
    BadConfiguration(
        name: "duplicate key in a flow mapping", yaml: "providers: [{id: a, name: A, id: b}]\n",
        at: "1:30", field: "", says: "key \"id\" is already written at line 1, column 14"),
    BadConfiguration(
        name: "unknown top-level key", yaml: "provider: [{id: a}]\n", at: "1:1", field: "provider",
        says: "unknown key \"provider\"; did you mean \"providers\"?"),
    BadConfiguration(
        name: "misspelt target key", yaml: head + "    tiemout: 3s\n    tcp: {host: 1.2.3.4, port: 1}\n",
        at: "5:5", field: "targets[0].tiemout", says: "did you mean \"timeout\"?"),
    BadConfiguration(
        name: "misspelt nested key",
        yaml: head + "    http:\n      url: https://x.vn/\n      expect: {staus: 200}\n",
        at: "7:16", field: "targets[0].http.expect.staus", says: "did you mean \"status\"?"),
    BadConfiguration(
        name: "missing id", yaml: "providers: [{id: viettel}]\ntargets:\n  - provider: viettel\n    tcp: {host: a.vn, port: 1}\n",
        at: "3:5", field: "targets[0].id", says: "missing required key \"id\""),
    BadConfiguration(
        name: "no probe kind", yaml: head + "    service: dns\n", at: "3:5", field: "targets[0]",
        says: "has no probe; add exactly one of dns, http, tcp or icmp"),
    BadConfiguration(
        name: "two probe kinds",
        yaml: head + "    tcp: {host: 1.2.3.4, port: 1}\n    icmp: {host: 1.2.3.4}\n",
        at: "6:5", field: "targets[0].icmp", says: "has both tcp and icmp"),
    BadConfiguration(
        name: "timeout not below interval",
        yaml: head + "    interval: 5s\n    timeout: 10s\n    tcp: {host: 1.2.3.4, port: 1}\n",
        at: "6:14", field: "targets[0].timeout",
        says: "10s is not shorter than interval 5s; write a timeout below the interval"),
    BadConfiguration(
        name: "interval below one second", yaml: head + "    interval: 500ms\n    timeout: 100ms\n    tcp: {host: a.vn, port: 1}\n",
        at: "5:15", field: "targets[0].interval", says: "shorter than the minimum interval 1s"),
    BadConfiguration(
        name: "zero timeout", yaml: head + "    timeout: 0\n    tcp: {host: a.vn, port: 1}\n",
        at: "5:14", field: "targets[0].timeout", says: "must be more than 0"),
    BadConfiguration(
        name: "duration without unit", yaml: head + "    interval: 30\n    tcp: {host: a.vn, port: 1}\n",
        at: "5:15", field: "targets[0].interval", says: "30 has no unit; write 30s"),
    BadConfiguration(
        name: "not a duration", yaml: head + "    interval: 30 seconds\n    tcp: {host: a.vn, port: 1}\n",
        at: "5:15", field: "targets[0].interval", says: "like 500ms, 30s, 1m30s or 2h"),
    BadConfiguration(
        name: "bad ip_family", yaml: head + "    ip_family: ipv6\n    tcp: {host: a.vn, port: 1}\n",
        at: "5:16", field: "targets[0].ip_family", says: "\"ipv6\" is not one of v4, v6, both"),
    BadConfiguration(
        name: "family an IP literal cannot use",
        yaml: head + "    ip_family: both\n    dns: {server: 203.113.131.1, query_name: a.vn}\n",
        at: "5:16", field: "targets[0].ip_family", says: "targets[0].dns.server is an IPv4 address"),
    BadConfiguration(
        name: "bad id", yaml: "providers: [{id: Viettel}]\n", at: "1:18", field: "providers[0].id",
        says: "\"Viettel\" is not a valid id; use lowercase letters"),
    BadConfiguration(
        name: "unknown provider", yaml: head.replacingOccurrences("provider: viettel", "provider: vietel")
            + "    tcp: {host: a.vn, port: 1}\n",
        at: "4:15", field: "targets[0].provider", says: "unknown provider \"vietel\"; did you mean \"viettel\"?"),
    BadConfiguration(
        name: "duplicate target id", yaml: head + "    tcp: {host: a.vn, port: 1}\n  - {id: t1, provider: viettel, tcp: {host: a.vn, port: 2}}\n",
        at: "6:10", field: "targets[1].id", says: "target id \"t1\" is already used at bad.yaml:3:9"),
    BadConfiguration(
        name: "port out of range", yaml: head + "    tcp: {host: a.vn, port: 70000}\n",
        at: "5:29", field: "targets[0].tcp.port", says: "expected a number from 1 to 65535"),
    BadConfiguration(
        name: "host with port", yaml: head + "    tcp: {host: \"1.2.3.4:53\", port: 53}\n",
        at: "5:17", field: "targets[0].tcp.host", says: "includes a port; write the host alone"),
    BadConfiguration(
        name: "not a host", yaml: head + "    icmp: {host: \"not a host!\"}\n",
        at: "5:18", field: "targets[0].icmp.host", says: "is neither an IP address nor a host name"),
    BadConfiguration(
        name: "unknown query type", yaml: head + "    dns: {server: 1.1.1.1, query_name: a.vn, query_type: AAA}\n",
        at: "5:58", field: "targets[0].dns.query_type", says: "did you mean \"AAAA\"?"),
    BadConfiguration(
        name: "unknown rcode", yaml: head + "    dns:\n      server: 1.1.1.1\n      query_name: a.vn\n      expect: {rcodes: [NOERORR]}\n",
        at: "8:24", field: "targets[0].dns.expect.rcodes", says: "did you mean \"NOERROR\"?"),
    BadConfiguration(
        name: "URL without scheme", yaml: head + "    http: {url: viettel.vn}\n",
        at: "5:17", field: "targets[0].http.url", says: "has no scheme; write https://viettel.vn"),
    BadConfiguration(
        name: "URL with another scheme", yaml: head + "    http: {url: \"ftp://viettel.vn/\"}\n",
        at: "5:17", field: "targets[0].http.url", says: "scheme \"ftp\" is not supported"),
    BadConfiguration(
        name: "bad status set", yaml: head + "    http: {url: \"https://a.vn/\", expect: {status: \"200-2999\"}}\n",
        at: "5:51", field: "targets[0].http.expect.status", says: "like \"200-299,301\""),
    BadConfiguration(
        name: "regex that does not compile",
        yaml: head + "    http:\n      url: https://a.vn/\n      expect: {body_matches: [\"(unclosed\"]}\n",
        at: "7:30", field: "targets[0].http.expect.body_matches", says: "is not a valid regular expression"),
    BadConfiguration(
        name: "zero body size limit", yaml: head + "    http: {url: \"https://a.vn/\", body_size_limit: 0}\n",
        at: "5:51", field: "targets[0].http.body_size_limit", says: "must be more than 0 bytes"),
    BadConfiguration(
        name: "bad size", yaml: head + "    http: {url: \"https://a.vn/\", body_size_limit: 1 megabyte}\n",
        at: "5:51", field: "targets[0].http.body_size_limit", says: "like 512KiB or 1MiB"),
    BadConfiguration(
        name: "lower-case method", yaml: head + "    http: {url: \"https://a.vn/\", method: get}\n",
        at: "5:42", field: "targets[0].http.method", says: "write GET"),
    BadConfiguration(
        name: "boolean spelt yes", yaml: head + "    http: {url: \"https://a.vn/\", insecure: yes}\n",
        at: "5:44", field: "targets[0].http.insecure", says: "write true or false"),
    BadConfiguration(
        name: "icmp count out of range", yaml: head + "    icmp: {host: 1.2.3.4, count: 0}\n",
        at: "5:34", field: "targets[0].icmp.count", says: "expected a number from 1 to 100"),
    BadConfiguration(
        name: "max_loss above one", yaml: head + "    icmp: {host: 1.2.3.4, max_loss: 1.5}\n",
        at: "5:37", field: "targets[0].icmp.max_loss", says: "expected a number from 0.0 to 1.0"),
    BadConfiguration(
        name: "echoes that do not fit in the timeout",
        yaml: head + "    timeout: 1s\n    icmp: {host: 1.2.3.4, count: 20, spacing: 100ms}\n",
        at: "6:11", field: "targets[0].icmp", says: "20 echoes 100ms apart take 1s900ms to send"),
    BadConfiguration(
        name: "list where a mapping belongs", yaml: "vantage: [a, b]\n", at: "1:10", field: "vantage",
        says: "expected a mapping of id, region, network, labels, controls, found a list"),
    BadConfiguration(
        name: "bad label name", yaml: head + "    labels: {tier-1: x}\n    tcp: {host: a.vn, port: 1}\n",
        at: "5:14", field: "targets[0].labels.tier-1", says: "is not a valid label name"),
    BadConfiguration(
        name: "empty value", yaml: head + "    service:\n    tcp: {host: a.vn, port: 1}\n",
        at: "5:13", field: "targets[0].service", says: "has no value"),
    BadConfiguration(
        name: "bad country", yaml: "providers: [{id: v, country: Vietnam}]\n", at: "1:30",
        field: "providers[0].country", says: "write two capital letters, like VN"),
    BadConfiguration(
        name: "reserved target id", yaml: "providers: [{id: v}]\ntargets:\n  - {id: ispwatch.x, provider: v, tcp: {host: a.vn, port: 1}}\n",
        at: "3:10", field: "targets[0].id", says: "reserved for ispwatch's own series"),
    BadConfiguration(
        name: "control with a provider", yaml: "vantage:\n  id: v1\n  controls:\n    - {id: c, provider: x, tcp: {host: 1.1.1.1, port: 53}}\n",
        at: "4:15", field: "vantage.controls[0].provider", says: "unknown key \"provider\""),
    BadConfiguration(
        name: "scheduler limit out of range", yaml: "scheduler: {max_in_flight: 0}\n",
        at: "1:28", field: "scheduler.max_in_flight", says: "1"),
    BadConfiguration(
        name: "scheduler override for an unknown provider", yaml: "providers: [{id: viettel}]\nscheduler:\n  providers: {vietel: {rate: 5}}\n",
        at: "3:15", field: "scheduler.providers.vietel", says: "did you mean \"viettel\"?"),
]

struct BadConfigurationTests {
    @Test(arguments: badConfigurations)
    func badConfigurationIsReportedAtItsLineWithTheField(_ bad: BadConfiguration) throws {
        let error = try #require(throws: ConfigurationError.self) {
            try Configuration.load(yaml: bad.yaml, path: "bad.yaml")
        }
        let issue = try #require(error.issues.first, "no issue for \(bad.name)")
        #expect(error.issues.count == 1, "expected one issue, got:\n\(error)")
        #expect("\(issue.location.line):\(issue.location.column)" == bad.at, "\(issue)")
        #expect(issue.location.file == "bad.yaml")
        #expect(issue.field == bad.field, "\(issue)")
        #expect(issue.message.contains(bad.says), "\(issue)")
    }

    @Test func everyProblemInAFileIsReportedNotOnlyTheFirst() throws {
        let yaml = """
            providers: [{id: p}]
            targets:
              - {id: a, provider: p, interval: 5s, timeout: 10s, tcp: {host: a.vn, port: 1}}
              - {id: b, provider: q, tcp: {host: a.vn, port: 0}}
              - {id: c, provider: p, dns: {server: 1.1.1.1, query_name: a.vn, qtype: A}}
            """
        let error = try #require(throws: ConfigurationError.self) {
            try Configuration.load(yaml: yaml, path: "targets/x.yaml")
        }
        #expect(error.description == """
            targets/x.yaml:3:49: targets[0].timeout: 10s is not shorter than interval 5s; write a timeout below the interval
            targets/x.yaml:4:23: targets[1].provider: unknown provider "q"; did you mean "p"? known providers: p
            targets/x.yaml:4:50: targets[1].tcp.port: 0 is out of range; expected a number from 1 to 65535
            targets/x.yaml:5:67: targets[2].dns.qtype: unknown key "qtype"; did you mean "query_type"?
            """)
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

struct BadConfigurationCascadeTests {
    @Test func anInvalidProviderDoesNotAlsoFailItsTargets() throws {
        let yaml = """
            providers: [{id: viettel, country: Vietnam}]
            targets:
              - {id: a, provider: viettel, tcp: {host: a.vn, port: 1}}
              - {id: b, provider: viettel, tcp: {host: a.vn, port: 2}}
            """
        let error = try #require(throws: ConfigurationError.self) { try Configuration.load(yaml: yaml, path: "c.yaml") }
        #expect(error.issues.map(\.field) == ["providers[0].country"])
    }

    @Test func invalidDefaultsAreReportedOnceNotForEveryTarget() throws {
        let yaml = """
            defaults: {interval: 5s, timeout: 5s}
            providers: [{id: p}]
            targets:
              - {id: a, provider: p, tcp: {host: a.vn, port: 1}}
              - {id: b, provider: p, tcp: {host: a.vn, port: 2}}
            """
        let error = try #require(throws: ConfigurationError.self) { try Configuration.load(yaml: yaml, path: "d.yaml") }
        #expect(error.description == """
            d.yaml:1:35: defaults.timeout: 5s is not shorter than interval 5s; write a timeout below the interval
            """)
    }
}
