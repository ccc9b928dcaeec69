import Yams

extension NodeReader {
    /// Decodes the `scheduler:` section.
    ///
    /// - Parameter references: receives the providers named under `providers:`, to be checked once
    ///   every file is loaded.
    mutating func schedulerSettings(_ field: Field, references: inout [ProviderReference]) -> SchedulerSettings? {
        guard let fields = fields(
            of: field,
            allowed: ["max_in_flight", "provider_limits", "providers", "failing_interval", "max_start_delay"])
        else { return nil }
        var settings = SchedulerSettings(definedAt: location(field.node.mark))
        var valid = true
        if let field = fields["max_in_flight"] {
            if let value = integer(field, in: 1...1_000_000) { settings.maximumInFlight = value } else { valid = false }
        }
        if let field = fields["provider_limits"] {
            if let limits = providerProbeLimits(field) { settings.providerLimits = limits } else { valid = false }
        }
        if let field = fields["providers"], let entries = stringKeyedFields(field) {
            for (provider, entry) in entries {
                references.append(ProviderReference(
                    provider: provider, location: location(entry.keyMark ?? entry.node.mark), path: entry.path.description))
                if let limits = providerProbeLimits(entry) { settings.providerOverrides[provider] = limits } else { valid = false }
            }
        }
        if let field = fields["failing_interval"] {
            if let value = duration(field), value >= .seconds(1) {
                settings.failingInterval = value
            } else {
                report("must be a duration of 1s or more, like 15s", at: field)
                valid = false
            }
        }
        if let field = fields["max_start_delay"] {
            if let value = duration(field), value > .zero {
                settings.maximumStartDelay = value
            } else {
                report("must be a positive duration, like 5s", at: field)
                valid = false
            }
        }
        return valid ? settings : nil
    }

    /// Decodes `{max_in_flight, rate, burst}`; `rate` is probes per second.
    private mutating func providerProbeLimits(_ field: Field) -> ProviderProbeLimits? {
        guard let fields = fields(of: field, allowed: ["max_in_flight", "rate", "burst"]) else { return nil }
        var limits = ProviderProbeLimits()
        var valid = true
        if let field = fields["max_in_flight"] {
            if let value = integer(field, in: 1...1_000_000) { limits.maximumInFlight = value } else { valid = false }
        }
        if let field = fields["rate"] {
            if let value = number(field, in: 0.001...1_000_000) { limits.probesPerSecond = value } else { valid = false }
        }
        if let field = fields["burst"] {
            if let value = integer(field, in: 1...1_000_000) { limits.burst = value } else { valid = false }
        }
        return valid ? limits : nil
    }

    /// The entries of a mapping whose keys are provider ids, each with its value as a field.
    private mutating func stringKeyedFields(_ field: Field) -> [(String, Field)]? {
        guard let mapping = field.node.mapping else {
            report("must be a mapping from provider id to limits, like {viettel: {rate: 50}}", at: field)
            return nil
        }
        var entries: [(String, Field)] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { continue }
            entries.append((name, Field(node: value, path: field.path.key(name), keyMark: key.mark)))
        }
        return entries
    }
}
