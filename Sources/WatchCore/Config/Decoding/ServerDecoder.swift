import Yams

extension NodeReader {
    /// Decodes the `server:` section.
    ///
    /// - Parameter references: receives the providers named by roles and `public_status`, to be
    ///   checked once every file is loaded.
    mutating func serverSettings(_ field: Field, references: inout [ProviderReference]) -> ServerSettings? {
        guard let fields = fields(
            of: field, allowed: ["tokens", "public_status", "max_request_bytes", "rate_limit"])
        else { return nil }
        var settings = ServerSettings(definedAt: location(field.node.mark))
        var valid = true
        if let field = fields["tokens"], let elements = elements(of: field) {
            for element in elements {
                if let token = serverToken(element, references: &references) { settings.tokens.append(token) } else { valid = false }
            }
        }
        if let field = fields["public_status"] {
            if let status = publicStatus(field, references: &references) { settings.publicStatus = status } else { valid = false }
        }
        if let field = fields["max_request_bytes"] {
            if let value = byteSize(field), value >= 1_024 {
                settings.maximumRequestBytes = value
            } else {
                report("must be a size of at least 1KiB, like 16KiB", at: field)
                valid = false
            }
        }
        if let field = fields["rate_limit"], let limit = self.fields(of: field, allowed: ["requests_per_second", "burst"]) {
            if let field = limit["requests_per_second"] {
                if let value = number(field, in: 0.01...1_000_000) { settings.requestsPerSecond = value } else { valid = false }
            }
            if let field = limit["burst"] {
                if let value = integer(field, in: 1...1_000_000) { settings.burst = value } else { valid = false }
            }
        } else if fields["rate_limit"] != nil {
            valid = false
        }
        return valid ? settings : nil
    }

    /// Decodes one `{hash: sha256:<hex>, role: admin | provider:<id>, name: …}`.
    private mutating func serverToken(_ field: Field, references: inout [ProviderReference]) -> ServerToken? {
        guard let fields = fields(of: field, allowed: ["hash", "role", "name"], required: ["hash", "role"]) else { return nil }
        var hash: [UInt8]?
        if let field = fields["hash"], let text = string(field) {
            hash = ServerToken.hashBytes(text)
            if hash == nil {
                report("must be sha256: and 64 hex digits (the hash of the token, never the token itself); "
                       + "`ispwatch token new` prints one", at: field)
            }
        }
        var role: ServerRole?
        if let field = fields["role"], let text = string(field) {
            role = ServerRole(text)
            if case .provider(let id) = role {
                references.append(ProviderReference(provider: id, location: location(field.node.mark), path: field.path.description))
            } else if role == nil {
                report("\"\(text)\" is not a role; write admin or provider:<id>", at: field)
            }
        }
        let name = fields["name"].flatMap { string($0) }
        guard let hash, let role, fields["name"] == nil || name != nil else { return nil }
        return ServerToken(sha256: hash, role: role, name: name, definedAt: location(field.node.mark))
    }

    /// `true`, `false`, or a list of provider ids.
    private mutating func publicStatus(_ field: Field, references: inout [ProviderReference]) -> PublicStatus? {
        if field.node.scalar != nil, !Self.isNull(field.node) {
            return bool(field).map { $0 ? .all : .none }
        }
        guard let elements = elements(of: field) else { return nil }
        var ids: Set<String> = []
        for element in elements {
            guard let id = identifier(element) else { return nil }
            references.append(ProviderReference(provider: id, location: location(element.node.mark), path: element.path.description))
            ids.insert(id)
        }
        return .providers(ids)
    }
}
