extension NodeReader {
    /// Decodes a `dns:` block.
    mutating func dnsSpec(_ field: Field) -> DecodedSpec? {
        guard let fields = fields(
            of: field,
            allowed: ["server", "port", "query_name", "query_type", "recursion_desired", "transport",
                      "edns_buffer_size", "expect"],
            required: ["server", "query_name"])
        else { return nil }
        var spec = DNSProbeSpec(server: "", queryName: "")
        var valid = true

        let server = host(fields["server"])
        if let server { spec.server = server.name } else { valid = false }
        if let field = fields["port"] {
            if let port = port(field) { spec.port = port } else { valid = false }
        }
        if let field = fields["query_name"], let name = string(field) {
            if name == "." || HostSyntax.isHostName(name) {
                spec.queryName = name
            } else {
                report("\"\(name)\" is not a domain name; write a name like www.example.vn", at: field)
                valid = false
            }
        } else {
            valid = false
        }
        if let field = fields["query_type"] {
            if let type = recordType(field) { spec.queryType = type } else { valid = false }
        }
        if let field = fields["recursion_desired"] {
            if let value = bool(field) { spec.recursionDesired = value } else { valid = false }
        }
        if let field = fields["transport"] {
            if let value = choice(field, of: DNSTransport.self) { spec.transport = value } else { valid = false }
        }
        if let field = fields["edns_buffer_size"] {
            if string(field)?.lowercased() == "false" {
                spec.ednsBufferSize = nil
            } else if let size = integer(field, in: 512...65_535, unit: " (bytes), or false to send no EDNS") {
                spec.ednsBufferSize = size
            } else {
                valid = false
            }
        }
        if let field = fields["expect"] {
            if let expectations = dnsExpectations(field) { spec.expectations = expectations } else { valid = false }
        }
        guard valid, let server, let serverField = fields["server"] else { return nil }
        return DecodedSpec(spec: .dns(spec), host: (server.syntax, serverField))
    }

    private mutating func recordType(_ field: Field) -> DNSRecordType? {
        guard let text = string(field) else { return nil }
        let upper = text.uppercased()
        if DNSRecordType.queryableNames.contains(upper) || (upper.hasPrefix("TYPE") && upper != "TYPE"),
           let type = DNSRecordType(name: text), type != .opt
        {
            return type
        }
        report("\"\(text)\" is not a query type; expected one of \(NodeReader.list(DNSRecordType.queryableNames)) "
               + "or TYPEnn\(Suggestion.didYouMean(text, among: DNSRecordType.queryableNames))", at: field)
        return nil
    }

    private mutating func dnsExpectations(_ field: Field) -> DNSExpectations? {
        guard let fields = fields(of: field, allowed: ["rcodes", "answer_contains", "answer_matches", "min_answers"])
        else { return nil }
        var expectations = DNSExpectations()
        var valid = true
        if let field = fields["rcodes"] {
            if let names = strings(field) {
                var rcodes: [DNSRcode] = []
                let known = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "BADVERS"]
                for name in names {
                    if let rcode = DNSRcode(name: name) {
                        rcodes.append(rcode)
                    } else {
                        report("\"\(name)\" is not an rcode; expected a name like \(NodeReader.list(known)) or a "
                               + "number 0–4095\(Suggestion.didYouMean(name, among: known))", at: field)
                        valid = false
                    }
                }
                if rcodes.isEmpty && valid {
                    report("is empty, so no answer could pass; list the rcodes that count as success, e.g. [NOERROR]",
                           at: field)
                    valid = false
                }
                expectations.validRcodes = rcodes
            } else {
                valid = false
            }
        }
        if let field = fields["answer_contains"] {
            if let values = strings(field) { expectations.answerContains = values } else { valid = false }
        }
        if let field = fields["answer_matches"] {
            if let pattern = regex(field) { expectations.answerMatches = pattern } else { valid = false }
        }
        if let field = fields["min_answers"] {
            if let count = integer(field, in: 0...65_535) { expectations.minimumAnswers = count } else { valid = false }
        }
        return valid ? expectations : nil
    }
}

/// A decoded probe spec, with the host it talks to so that the target can check IP families.
struct DecodedSpec {
    var spec: ProbeSpec
    /// The host's syntax and the field it was written in, when the spec names a host.
    var host: (syntax: HostSyntax, field: Field)?
}
