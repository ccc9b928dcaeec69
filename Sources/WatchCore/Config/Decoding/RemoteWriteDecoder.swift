import Yams

extension NodeReader {
    /// Decodes the `remote_write:` section: `url` (required), the queue's and the sender's settings,
    /// `headers`, and `bearer_token_file` or `basic_auth: {username, password_file}`.
    mutating func remoteWriteSettings(_ field: Field) -> RemoteWriteSettings? {
        guard let fields = fields(
            of: field,
            allowed: ["url", "queue_max_bytes", "batch_size", "flush_interval", "fsync", "timeout", "min_backoff",
                      "max_backoff", "drain_timeout", "headers", "bearer_token_file", "basic_auth"],
            required: ["url"])
        else { return nil }
        guard let url = httpURL(fields["url"]) else { return nil }
        var settings = RemoteWriteSettings(url: url, definedAt: location(field.node.mark))
        var valid = true
        if let field = fields["queue_max_bytes"] {
            if let value = byteSize(field), value >= 64 << 10 {
                settings.queueMaximumBytes = value
            } else {
                report("must be a size of 64KiB or more, like 256MiB", at: field)
                valid = false
            }
        }
        if let field = fields["batch_size"] {
            if let value = integer(field, in: 1...100_000) { settings.batchSamples = value } else { valid = false }
        }
        if let field = fields["fsync"] {
            if let value = bool(field) { settings.syncEveryAppend = value } else { valid = false }
        }
        let durations: [(String, WritableKeyPath<RemoteWriteSettings, Duration>)] = [
            ("flush_interval", \.flushInterval), ("timeout", \.timeout), ("min_backoff", \.minimumBackoff),
            ("max_backoff", \.maximumBackoff), ("drain_timeout", \.drainTimeout),
        ]
        for (name, keyPath) in durations {
            guard let field = fields[name] else { continue }
            if let value = duration(field), value > .zero {
                settings[keyPath: keyPath] = value
            } else {
                report("must be a positive duration, like 5s", at: field)
                valid = false
            }
        }
        if let field = fields["max_backoff"], settings.maximumBackoff < settings.minimumBackoff {
            report("must not be shorter than min_backoff", at: field)
            valid = false
        }
        if let field = fields["headers"] {
            if let pairs = stringPairs(field) {
                for (name, value, _) in pairs { settings.headers[name] = value }
            } else {
                valid = false
            }
        }
        if let field = fields["bearer_token_file"] {
            if fields["basic_auth"] != nil {
                report("give either bearer_token_file or basic_auth, not both", at: field)
                valid = false
            } else if let path = string(field) {
                settings.authorization = .bearer(tokenFile: path)
            } else {
                valid = false
            }
        }
        if let field = fields["basic_auth"] {
            if let auth = self.fields(of: field, allowed: ["username", "password_file"], required: ["username", "password_file"]),
               let username = string(auth["username"]), let passwordFile = string(auth["password_file"])
            {
                settings.authorization = .basic(username: username, passwordFile: passwordFile)
            } else {
                valid = false
            }
        }
        return valid ? settings : nil
    }
}
