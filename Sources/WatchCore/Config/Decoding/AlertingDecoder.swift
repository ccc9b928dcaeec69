import Yams

extension NodeReader {
    /// Decodes the `alerting:` section: `rules`, `receivers` (at least one) and `routes`, whose
    /// receivers must be declared in it.
    mutating func alertingSettings(_ field: Field) -> AlertingSettings? {
        guard let fields = fields(of: field, allowed: ["rules", "receivers", "routes"], required: ["receivers"]) else {
            return nil
        }
        var settings = AlertingSettings(definedAt: location(field.node.mark))
        var valid = fields["receivers"] != nil
        if let rules = fields["rules"] { valid = alertRules(rules, into: &settings) && valid }
        if let field = fields["receivers"], let elements = elements(of: field) {
            if elements.isEmpty {
                report("list at least one receiver (alertmanager, webhook or pagerduty)", at: field)
                valid = false
            }
            for element in elements {
                guard let receiver = alertReceiver(element) else { valid = false; continue }
                if settings.receivers.contains(where: { $0.name == receiver.name }) {
                    report("receiver \"\(receiver.name)\" is listed twice; give each receiver its own name", at: element)
                    valid = false
                }
                settings.receivers.append(receiver)
            }
        }
        if let field = fields["routes"], let elements = elements(of: field) {
            for element in elements {
                if let route = alertRoute(element, receivers: settings.receivers) { settings.routes.append(route) } else { valid = false }
            }
        }
        return valid ? settings : nil
    }

    /// Decodes `alerting.rules` into `settings`; returns whether every field was valid.
    private mutating func alertRules(_ field: Field, into settings: inout AlertingSettings) -> Bool {
        guard let fields = fields(of: field, allowed: [
            "slice", "close_delay", "down_slices", "up_slices", "down_share", "quorum", "provider_outage_share",
            "vantage_unhealthy_for", "resend_interval",
        ]) else { return false }
        var valid = true
        func positiveDuration(_ key: String, minimum: Duration, hint: String, _ reader: inout NodeReader) -> Duration? {
            guard let field = fields[key] else { return nil }
            if let value = reader.duration(field), value >= minimum { return value }
            reader.report("must be a duration of \(hint) or more", at: field)
            valid = false
            return nil
        }
        settings.sliceWidth = positiveDuration("slice", minimum: .seconds(1), hint: "1s", &self)
        if let field = fields["close_delay"] {
            if let value = duration(field) { settings.sliceCloseDelay = value } else { valid = false }
        }
        if let field = fields["down_slices"] {
            if let value = integer(field, in: 1...10_000) { settings.downSlicesToFire = value } else { valid = false }
        }
        if let field = fields["up_slices"] {
            if let value = integer(field, in: 1...10_000) { settings.upSlicesToResolve = value } else { valid = false }
        }
        if let field = fields["down_share"] {
            if let value = number(field, in: 0.01...1) { settings.downShare = value } else { valid = false }
        }
        if let field = fields["quorum"] {
            if let value = integer(field, in: 1...1_000) { settings.quorum = value } else { valid = false }
        }
        if let field = fields["provider_outage_share"] {
            if let value = number(field, in: 0.01...1) { settings.providerOutageShare = value } else { valid = false }
        }
        if let field = fields["vantage_unhealthy_for"] {
            if let value = duration(field) { settings.vantageUnhealthyFor = value } else { valid = false }
        }
        settings.resendInterval = positiveDuration("resend_interval", minimum: .seconds(1), hint: "1s", &self)
        // Alertmanager forgets a firing alert 4 min after its last re-send (AlertmanagerReceiver).
        if let resend = settings.resendInterval, resend >= .seconds(240), let field = fields["resend_interval"] {
            report("must be shorter than 4m: Alertmanager resolves an alert not re-sent within 4m", at: field)
            valid = false
        }
        return valid
    }

    /// Decodes one receiver: `name` and exactly one of `alertmanager`, `webhook`, `pagerduty`.
    private mutating func alertReceiver(_ field: Field) -> AlertReceiverSettings? {
        let kinds = ["alertmanager", "webhook", "pagerduty"]
        guard let fields = fields(of: field, allowed: ["name"] + kinds, required: ["name"]) else { return nil }
        let name = identifier(fields["name"])
        let given = kinds.filter { fields[$0] != nil }
        guard given.count == 1 else {
            report(given.isEmpty ? "give the receiver's kind: one of alertmanager, webhook or pagerduty"
                   : "a receiver has one kind; found \(given.joined(separator: " and ")), split it in two receivers",
                   at: field)
            return nil
        }
        let kindField = fields[given[0]]!
        let kind: AlertReceiverSettings.Kind?
        switch given[0] {
        case "alertmanager":
            guard let kindFields = self.fields(of: kindField, allowed: ["url"], required: ["url"]) else { return nil }
            kind = httpURL(kindFields["url"]).map { .alertmanager(baseURL: $0) }
        case "webhook":
            guard let kindFields = self.fields(of: kindField, allowed: ["url"], required: ["url"]) else { return nil }
            kind = httpURL(kindFields["url"]).map { .webhook(url: $0) }
        default:
            guard let kindFields = self.fields(of: kindField, allowed: ["routing_key", "url"], required: ["routing_key"])
            else { return nil }
            let key = string(kindFields["routing_key"])
            let url = kindFields["url"].map { httpURL($0) }
            if let key, key.count > 255 || key.contains(where: \.isWhitespace) {
                report("is not an integration key (32 characters, no spaces)", at: kindFields["routing_key"]!)
                return nil
            }
            kind = key.flatMap { key in url == .some(nil) ? nil : .pagerDuty(routingKey: key, url: url ?? nil) }
        }
        guard let name, let kind else { return nil }
        return AlertReceiverSettings(name: name, kind: kind)
    }

    /// Decodes one route; its receiver must be one of `receivers`.
    private mutating func alertRoute(_ field: Field, receivers declared: [AlertReceiverSettings]) -> AlertRouteSettings? {
        let receivers = declared.map(\.name)
        guard let fields = fields(of: field, allowed: ["match", "receiver", "repeat_interval", "continue"], required: ["receiver"])
        else { return nil }
        var valid = true
        let match = fields["match"].map { labels($0) } ?? [:]
        if match == nil { valid = false }
        var receiver = string(fields["receiver"])
        if let name = receiver, let field = fields["receiver"], !receivers.contains(name) {
            let hint = Suggestion.closest(to: name, among: receivers).map { "did you mean \"\($0)\"? " } ?? ""
            report("unknown receiver \"\(name)\"; \(hint)receivers: \(receivers.joined(separator: ", "))", at: field)
            receiver = nil
        }
        var repeatInterval: Duration?
        if let field = fields["repeat_interval"] {
            if let value = duration(field), value >= .seconds(1) {
                repeatInterval = value
                let toAlertmanager = declared.contains {
                    if case .alertmanager = $0.kind { $0.name == receiver } else { false }
                }
                if toAlertmanager, value >= .seconds(240) {
                    report("must be below 4m for an Alertmanager receiver, which resolves an alert not re-sent "
                           + "within 4m; leave it out (Alertmanager has its own repeat_interval)", at: field)
                    valid = false
                }
            } else {
                report("must be a duration of 1s or more, like 4h", at: field)
                valid = false
            }
        }
        let continueMatching = fields["continue"].map { bool($0) } ?? false
        guard valid, let match, let receiver, let continueMatching else { return nil }
        return AlertRouteSettings(match: match, receiver: receiver, repeatInterval: repeatInterval, continueMatching: continueMatching)
    }

    /// An `http://` or `https://` URL with a host.
    mutating func httpURL(_ field: Field?) -> String? {
        guard let field, let text = string(field) else { return nil }
        switch HTTPURLParts.parse(text) {
        case .success: return text
        case .failure(let problem):
            report("\"\(text)\" is not an http:// or https:// URL with a host (\(problem))", at: field)
            return nil
        }
    }
}
