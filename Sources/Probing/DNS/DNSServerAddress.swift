import NIOCore
import WatchCore

/// Turns a spec's server and port into a socket address, honouring the requested IP family.
enum DNSServerAddress {
    enum Resolution {
        case address(SocketAddress, IPFamily)
        case rejected(String)
    }

    /// Parses an IP literal (`192.0.2.53`, `2001:db8::53`, `[2001:db8::53]`).
    ///
    /// Host names are rejected: resolving them would need a resolver off the cooperative pool,
    /// and a DNS probe that depends on DNS to find its server measures two things at once.
    static func resolve(server: String, port: Int, family: IPFamily?) -> Resolution {
        guard (1...65535).contains(port) else { return .rejected("port \(port) is out of range") }
        var literal = Substring(server)
        if literal.hasPrefix("[") && literal.hasSuffix("]") { literal = literal.dropFirst().dropLast() }
        guard let address = try? SocketAddress(ipAddress: String(literal), port: port) else {
            return .rejected(
                "DNS server \"\(server)\" is not an IP literal; the DNS prober does not resolve server names")
        }
        let actual: IPFamily
        switch address {
        case .v4: actual = .v4
        case .v6: actual = .v6
        case .unixDomainSocket: return .rejected("DNS server \"\(server)\" is not an IP address")
        }
        if let family, family != actual {
            return .rejected(
                "DNS server \(server) is an IP\(actual) address but the probe asks for IP\(family)")
        }
        return .address(address, actual)
    }
}
