extension NodeReader {
    /// Decodes a `tcp:` block.
    mutating func tcpSpec(_ field: Field) -> DecodedSpec? {
        guard let fields = fields(of: field, allowed: ["host", "port"], required: ["host", "port"]) else { return nil }
        let host = host(fields["host"])
        let port = port(fields["port"])
        guard let host, let port, let hostField = fields["host"] else { return nil }
        return DecodedSpec(spec: .tcp(TCPProbeSpec(host: host.name, port: port)), host: (host.syntax, hostField))
    }

    /// Decodes an `icmp:` block. The spacing is checked against the timeout by the target.
    mutating func icmpSpec(_ field: Field) -> DecodedSpec? {
        guard let fields = fields(
            of: field, allowed: ["host", "count", "spacing", "payload_size", "max_loss"], required: ["host"])
        else { return nil }
        var valid = true
        let host = host(fields["host"])
        var spec = ICMPProbeSpec(host: host?.name ?? "")
        if let field = fields["count"] {
            if let count = integer(field, in: 1...100) { spec.count = count } else { valid = false }
        }
        if let field = fields["spacing"] {
            if let spacing = duration(field) { spec.spacing = spacing } else { valid = false }
        }
        if let field = fields["payload_size"] {
            // 65507 is the largest payload of an IPv4 datagram after the IP and ICMP headers.
            if let size = integer(field, in: 0...65_507, unit: " (bytes)") { spec.payloadSize = size } else { valid = false }
        }
        if let field = fields["max_loss"] {
            if let loss = number(field, in: 0...1) { spec.maximumLoss = loss } else { valid = false }
        }
        guard valid, let host, let hostField = fields["host"] else { return nil }
        return DecodedSpec(spec: .icmp(spec), host: (host.syntax, hostField))
    }
}
