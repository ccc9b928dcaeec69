extension NodeReader {
    /// Decodes an `http:` block.
    mutating func httpSpec(_ field: Field) -> DecodedSpec? {
        guard let fields = fields(
            of: field,
            allowed: ["url", "method", "headers", "body", "follow_redirects", "max_redirects", "body_size_limit",
                      "insecure", "ca_file", "fail_if_not_tls", "reuse_connection", "expect"],
            required: ["url"])
        else { return nil }
        var spec = HTTPProbeSpec(url: "")
        var valid = true
        var host: (HostSyntax, Field)?
        var scheme: String?

        if let field = fields["url"], let url = string(field) {
            switch HTTPURLParts.parse(url) {
            case .success(let parts):
                spec.url = url
                scheme = parts.scheme
                host = HostSyntax.classify(parts.host).map { ($0, field) }
            case .failure(let problem):
                report(Self.message(for: problem, url: url), at: field)
                valid = false
            }
        } else {
            valid = false
        }
        if let field = fields["method"], let method = string(field) {
            let known = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]
            if method.allSatisfy({ $0.isASCII && $0.isUppercase }) && !method.isEmpty {
                spec.method = method
            } else {
                let hint = known.contains(method.uppercased()) ? "write \(method.uppercased())"
                    : "expected an upper-case method such as \(NodeReader.list(known))"
                report("\"\(method)\" is not an HTTP method; \(hint)", at: field)
                valid = false
            }
        } else if fields["method"] != nil {
            valid = false
        }
        if let field = fields["headers"] {
            if let pairs = stringPairs(field) {
                for (name, value, entry) in pairs {
                    if !Self.isHeaderName(name) {
                        report("\"\(name)\" is not a header name; use letters, digits and \"-\"", path: entry.path,
                               mark: entry.keyMark)
                        valid = false
                    } else if value.contains(where: { $0 == "\r" || $0 == "\n" }) {
                        report("a header value cannot contain a line break", at: entry)
                        valid = false
                    } else {
                        spec.headers.append(HTTPHeaderField(name: name, value: value))
                    }
                }
            } else {
                valid = false
            }
        }
        if let field = fields["body"] {
            if let body = string(field) { spec.body = body } else { valid = false }
        }
        if let field = fields["follow_redirects"] {
            if let value = bool(field) { spec.followRedirects = value } else { valid = false }
        }
        if let field = fields["max_redirects"] {
            if let value = integer(field, in: 0...100) { spec.maximumRedirects = value } else { valid = false }
        }
        if let field = fields["body_size_limit"] {
            if let size = byteSize(field) {
                if size > 0 {
                    spec.bodySizeLimit = size
                } else {
                    report("must be more than 0 bytes; write a limit like 1MiB", at: field)
                    valid = false
                }
            } else {
                valid = false
            }
        }
        if let field = fields["insecure"] {
            if let value = bool(field) { spec.insecureSkipVerify = value } else { valid = false }
        }
        if let field = fields["ca_file"] {
            if let path = string(field) { spec.caFile = path } else { valid = false }
        }
        if let field = fields["fail_if_not_tls"] {
            if let value = bool(field) {
                spec.failIfNotTLS = value
                if value, scheme == "http", !spec.followRedirects {
                    report("is true but the URL is http:// and redirects are not followed, so every probe would "
                           + "fail; use an https:// URL or set follow_redirects: true", at: field)
                    valid = false
                }
            } else {
                valid = false
            }
        }
        if let field = fields["reuse_connection"] {
            if let value = bool(field) { spec.reuseConnection = value } else { valid = false }
        }
        if let field = fields["expect"] {
            if !httpExpectations(field, into: &spec) { valid = false }
        }
        return valid ? DecodedSpec(spec: .http(spec), host: host) : nil
    }

    private mutating func httpExpectations(_ field: Field, into spec: inout HTTPProbeSpec) -> Bool {
        guard let fields = fields(
            of: field, allowed: ["status", "body_contains", "body_matches", "body_not_matches", "headers"])
        else { return false }
        var valid = true
        if let field = fields["status"] {
            if let parts = strings(field) {
                let text = parts.joined(separator: ",")
                if let set = StatusCodeSet(parsing: text) {
                    spec.validStatusCodes = set
                } else {
                    report("\"\(text)\" is not a set of status codes; write codes and ranges from 100 to 599, "
                           + "like \"200-299,301\"", at: field)
                    valid = false
                }
            } else {
                valid = false
            }
        }
        if let field = fields["body_contains"] {
            if let values = strings(field) { spec.bodyContains = values } else { valid = false }
        }
        if let field = fields["body_matches"] {
            if let values = regexes(field) { spec.bodyMatches = values } else { valid = false }
        }
        if let field = fields["body_not_matches"] {
            if let values = regexes(field) { spec.bodyNotMatches = values } else { valid = false }
        }
        if let field = fields["headers"] {
            if let pairs = stringPairs(field) {
                for (name, pattern, entry) in pairs {
                    if regex(entry) != nil {
                        spec.headerMatches.append(HeaderExpectation(name: name, pattern: pattern))
                    } else {
                        valid = false
                    }
                }
            } else {
                valid = false
            }
        }
        return valid
    }

    private static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_!#$%&'*+.^`|~".contains($0)) }
    }

    private static func message(for problem: HTTPURLParts.Problem, url: String) -> String {
        switch problem {
        case .noScheme:
            "\"\(url)\" has no scheme; write https://\(url) or http://\(url)"
        case .unsupportedScheme(let scheme):
            "scheme \"\(scheme)\" is not supported; write an http:// or https:// URL"
        case .noHost:
            "\"\(url)\" has no host; write a URL like https://portal.example.vn/"
        case .badHost(let host):
            "\"\(host)\" is not a valid host; write a name like portal.example.vn or an address (IPv6 in brackets)"
        case .badPort(let port):
            "\"\(port)\" is not a port; expected a number from 1 to 65535"
        }
    }
}
