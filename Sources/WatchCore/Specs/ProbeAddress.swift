/// Parses the one-line probe addresses `ispwatch probe` takes:
///
/// - `http://…`, `https://…`: an HTTP probe of that URL;
/// - `dns://SERVER[:PORT]/NAME?type=AAAA&tcp&norec`: a DNS question (`[v6]` for an IPv6 server);
/// - `tcp://HOST:PORT`: a TCP connect;
/// - `icmp://HOST?count=5`: ICMP echoes.
public enum ProbeAddress {
    /// Why an address could not be parsed; the message says what to write instead.
    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses `address` into a spec with default expectations.
    public static func parse(_ address: String) throws(ParseError) -> ProbeSpec {
        guard let schemeEnd = address.firstRange(of: "://") else {
            throw ParseError(description: "'\(address)' has no scheme; write https://HOST/, dns://SERVER/NAME, "
                + "tcp://HOST:PORT or icmp://HOST")
        }
        let scheme = address[..<schemeEnd.lowerBound].lowercased()
        let rest = String(address[schemeEnd.upperBound...])
        switch scheme {
        case "http", "https":
            guard !rest.isEmpty, !rest.hasPrefix("/") else {
                throw ParseError(description: "'\(address)' has no host")
            }
            return .http(HTTPProbeSpec(url: address))
        case "dns":
            return .dns(try parseDNS(rest, address: address))
        case "tcp":
            let (host, port) = try splitHostPort(rest, defaultPort: nil, address: address)
            return .tcp(TCPProbeSpec(host: host, port: port))
        case "icmp":
            let (authority, query) = splitQuery(rest)
            var spec = ICMPProbeSpec(host: try bareHost(authority, address: address))
            if let count = query["count"] {
                guard let value = Int(count), (1...100).contains(value) else {
                    throw ParseError(description: "count=\(count) in '\(address)': write a whole number from 1 to 100")
                }
                spec.count = value
            }
            return .icmp(spec)
        default:
            throw ParseError(description: "unknown scheme '\(scheme)' in '\(address)'; use http, https, dns, tcp or icmp")
        }
    }

    private static func parseDNS(_ rest: String, address: String) throws(ParseError) -> DNSProbeSpec {
        let (pathPart, query) = splitQuery(rest)
        guard let slash = pathPart.firstIndex(of: "/") else {
            throw ParseError(description: "'\(address)' names no question; write dns://SERVER[:PORT]/NAME?type=A")
        }
        let (server, port) = try splitHostPort(String(pathPart[..<slash]), defaultPort: 53, address: address)
        let name = String(pathPart[pathPart.index(after: slash)...])
        guard !name.isEmpty else {
            throw ParseError(description: "'\(address)' names no question; write dns://SERVER[:PORT]/NAME?type=A")
        }
        var spec = DNSProbeSpec(server: server, port: port, queryName: name)
        if let typeName = query["type"] {
            guard let type = DNSRecordType(name: typeName) else {
                throw ParseError(description: "type=\(typeName) in '\(address)': write one of "
                    + DNSRecordType.queryableNames.joined(separator: ", "))
            }
            spec.queryType = type
        }
        if query["tcp"] != nil { spec.transport = .tcp }
        if query["norec"] != nil { spec.recursionDesired = false }
        if query["noedns"] != nil { spec.ednsBufferSize = nil }
        return spec
    }

    /// Splits `host:port`, `[v6]:port`, or a bare host when a default port exists.
    private static func splitHostPort(_ authority: String, defaultPort: Int?, address: String) throws(ParseError)
        -> (String, Int)
    {
        var host = authority
        var portText: String?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw ParseError(description: "unclosed '[' in '\(address)'")
            }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = String(after.dropFirst()) } else if !after.isEmpty {
                throw ParseError(description: "unexpected '\(after)' after ']' in '\(address)'")
            }
        } else if let colon = authority.lastIndex(of: ":"), authority.firstIndex(of: ":") == colon {
            host = String(authority[..<colon])
            portText = String(authority[authority.index(after: colon)...])
        }
        guard !host.isEmpty else { throw ParseError(description: "'\(address)' has no host") }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw ParseError(description: "port '\(portText)' in '\(address)': write a number from 1 to 65535")
            }
            return (host, port)
        }
        guard let defaultPort else { throw ParseError(description: "'\(address)' needs a port: HOST:PORT") }
        return (host, defaultPort)
    }

    private static func bareHost(_ authority: String, address: String) throws(ParseError) -> String {
        var host = authority
        if host.hasSuffix("/") { host.removeLast() }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ParseError(description: "'\(address)' has no host") }
        return host
    }

    private static func splitQuery(_ text: String) -> (String, [String: String]) {
        guard let mark = text.firstIndex(of: "?") else { return (text, [:]) }
        var query: [String: String] = [:]
        for pair in text[text.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            query[String(parts[0]).lowercased()] = parts.count > 1 ? String(parts[1]) : ""
        }
        return (String(text[..<mark]), query)
    }
}
