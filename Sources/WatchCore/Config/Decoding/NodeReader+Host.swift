import Yams

extension NodeReader {
    /// A host: an IP literal or a host name, with which one it is.
    mutating func host(_ field: Field?) -> (name: String, syntax: HostSyntax)? {
        guard let field, let text = string(field) else { return nil }
        if let syntax = HostSyntax.classify(text) { return (text, syntax) }
        if text.hasPrefix("["), text.hasSuffix("]"), HostSyntax.isIPv6(String(text.dropFirst().dropLast())) {
            report("write the IPv6 address without brackets: \(text.dropFirst().dropLast())", at: field)
        } else if let colon = text.lastIndex(of: ":"), HostSyntax.classify(String(text[..<colon])) != nil,
                  Int(text[text.index(after: colon)...]) != nil
        {
            report("\"\(text)\" includes a port; write the host alone and put the port in \"port\"", at: field)
        } else if text.contains("://") {
            report("\"\(text)\" is a URL; write only the host, like dns.example.vn", at: field)
        } else {
            report("\"\(text)\" is neither an IP address nor a host name; write an address like 192.0.2.1 or "
                   + "2001:db8::1, or a name like dns.example.vn", at: field)
        }
        return nil
    }

    /// A TCP or UDP port, 1–65535.
    mutating func port(_ field: Field?) -> Int? {
        integer(field, in: 1...65_535)
    }
}
