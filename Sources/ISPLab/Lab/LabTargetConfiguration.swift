import Foundation

/// The ispwatch configuration that probes a running lab: per provider its resolver, its portal and
/// its HTTPS portal, as three targets (docs/LAB.md, "The written configuration").
public struct LabTargetConfiguration: Sendable {
    /// The vantage id of the probing process.
    public var vantage = "lab-vantage"
    /// How often each target is probed.
    public var interval: Duration = .seconds(5)
    /// How long a probe may take.
    public var timeout: Duration = .seconds(2)
    /// Extra top-level YAML appended verbatim (the demo's `alerting:` section).
    public var appendix = ""

    /// Creates the defaults above.
    public init() {}

    /// The target id of a provider's service in the written configuration.
    public static func targetID(provider: String, service: LabService) -> String {
        switch service {
        case .dns: "\(provider)-dns"
        case .http: "\(provider)-portal"
        case .https: "\(provider)-portal-tls"
        }
    }

    /// The configuration's YAML for `lab`.
    public func yaml(for lab: ProviderLab) -> String {
        var lines = [
            "# Written by the ispwatch lab: probes its simulated providers, on 127.0.0.x only.",
            "vantage:",
            "  id: \(vantage)",
            "defaults: {interval: \(Self.duration(interval)), timeout: \(Self.duration(timeout)), ip_family: v4}",
            "providers:",
        ]
        for endpoint in lab.endpoints {
            lines.append("  - {id: \(endpoint.provider.id), name: \(Self.quoted(endpoint.provider.name)), labels: {env: lab}}")
        }
        lines.append("targets:")
        for endpoint in lab.endpoints {
            let id = endpoint.provider.id
            let address = endpoint.provider.address
            lines += [
                "  - id: \(Self.targetID(provider: id, service: .dns))",
                "    provider: \(id)",
                "    service: dns",
                "    dns: {server: \(address), port: \(endpoint.dnsPort), query_name: \(endpoint.queryName),",
                "          expect: {rcodes: [NOERROR], answer_contains: [\(address)]}}",
                "  - id: \(Self.targetID(provider: id, service: .http))",
                "    provider: \(id)",
                "    service: portal",
                "    http: {url: \(Self.quoted(endpoint.httpURL)), expect: {status: \"200-299\", body_contains: [portal]}}",
                "  - id: \(Self.targetID(provider: id, service: .https))",
                "    provider: \(id)",
                "    service: portal-tls",
                "    http: {url: \(Self.quoted(endpoint.httpsURL)), ca_file: \(Self.quoted(lab.certificateAuthorityFile)),",
                "           expect: {status: \"200-299\", body_contains: [portal]}}",
            ]
        }
        return lines.joined(separator: "\n") + "\n" + appendix
    }

    /// A duration in the configuration's syntax (whole milliseconds).
    public static func duration(_ value: Duration) -> String {
        let milliseconds = value.nanoseconds / 1_000_000
        return milliseconds % 1_000 == 0 ? "\(milliseconds / 1_000)s" : "\(milliseconds)ms"
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
