import Yams

/// A target's reference to a provider, kept until every file is loaded: the provider may be defined
/// in another file.
struct ProviderReference {
    var provider: String
    var location: SourceLocation
    var path: String
}

extension NodeReader {
    static let probeKinds = ProbeKind.allCases.map(\.rawValue)

    /// Decodes the `defaults:` block; invalid values fall back to the built-in defaults (the problem
    /// is reported, so the file fails to load anyway).
    mutating func targetDefaults(_ field: Field) -> (TargetDefaults, explicit: Set<String>) {
        var defaults = TargetDefaults.standard
        guard let fields = fields(of: field, allowed: ["interval", "timeout", "ip_family"]) else {
            return (defaults, [])
        }
        if let interval = interval(fields["interval"]) { defaults.interval = interval }
        if let timeout = timeout(fields["timeout"]) { defaults.timeout = timeout }
        if let family = choice(fields["ip_family"], of: IPFamilySelection.self) { defaults.ipFamilies = family }
        if let field = fields["timeout"] ?? fields["interval"], defaults.timeout >= defaults.interval {
            report(Self.timeoutMessage(defaults.timeout, defaults.interval), at: field)
        }
        return (defaults, Set(fields.orderedKeys))
    }

    /// Decodes one entry of `targets:`, or of a vantage's `controls:` (`isControl`: no provider).
    mutating func target(
        _ field: Field, defaults: TargetDefaults, references: inout [ProviderReference], isControl: Bool = false
    ) -> Target? {
        let providerKeys = isControl ? [] : ["provider"]
        guard let fields = fields(
            of: field,
            allowed: ["id"] + providerKeys + ["service", "region", "labels", "interval", "timeout", "ip_family"]
                + Self.probeKinds,
            required: ["id"] + providerKeys)
        else { return nil }
        var valid = true
        let id = identifier(fields["id"])
        if fields["id"] != nil && id == nil { valid = false }
        if let id, id.hasPrefix(SeriesRole.reservedTargetPrefix), let idField = fields["id"] {
            report("ids beginning with \"\(SeriesRole.reservedTargetPrefix)\" are reserved for ispwatch's own series; "
                   + "choose another id", at: idField)
            valid = false
        }
        let provider = identifier(fields["provider"])
        if let provider, let providerField = fields["provider"] {
            references.append(ProviderReference(
                provider: provider, location: location(providerField.node.mark), path: providerField.path.description))
        }
        let service = fields["service"].flatMap { string($0) }
        let region = fields["region"].flatMap { string($0) }
        let labels = fields["labels"].map { self.labels($0) } ?? [:]
        if fields["service"] != nil && service == nil || fields["region"] != nil && region == nil || labels == nil {
            valid = false
        }

        let interval = fields["interval"].map { self.interval($0) } ?? defaults.interval
        let timeout = fields["timeout"].map { self.timeout($0) } ?? defaults.timeout
        if let interval, let timeout, timeout >= interval,
           let field = fields["timeout"] ?? fields["interval"]
        {
            report(Self.timeoutMessage(timeout, interval), at: field)
            valid = false
        }
        let explicitFamily = fields["ip_family"].map { choice($0, of: IPFamilySelection.self) }
        if case .some(.none) = explicitFamily { valid = false }

        let kinds = fields.orderedKeys.filter { Self.probeKinds.contains($0) }
        var decoded: DecodedSpec?
        switch kinds.count {
        case 0:
            report("has no probe; add exactly one of dns, http, tcp or icmp", path: field.path, mark: field.node.mark)
            valid = false
        case 1:
            decoded = spec(kind: kinds[0], fields[kinds[0]]!)
        default:
            let extra = fields[kinds[1]]!
            report("has both \(kinds[0]) and \(kinds[1]); a target probes one thing, so split it into two targets",
                   path: extra.path, mark: extra.keyMark)
            valid = false
        }
        guard let decoded else { return nil }

        // The family: as written, else the one an IP literal forces, else the file's default.
        var families = defaults.ipFamilies
        if let host = decoded.host, let literalFamily = host.syntax.family {
            if case .some(.some(let explicit)) = explicitFamily, explicit != IPFamilySelection(literalFamily) {
                let familyField = fields["ip_family"]!
                report("is \(explicit.rawValue), but \(host.field.path) is an IP\(literalFamily.rawValue) address "
                       + "that can only be reached over IP\(literalFamily.rawValue); write "
                       + "ip_family: \(literalFamily.rawValue), or use a host name to probe both families",
                       at: familyField)
                valid = false
            }
            families = IPFamilySelection(literalFamily)
        } else if case .some(.some(let explicit)) = explicitFamily {
            families = explicit
        }

        if case .icmp(let icmp) = decoded.spec, let timeout {
            let sending = icmp.spacing * (icmp.count - 1)
            if sending >= timeout {
                report("\(icmp.count) echoes \(DurationSyntax.format(icmp.spacing)) apart take "
                       + "\(DurationSyntax.format(sending)) to send, which does not fit in the timeout "
                       + "\(DurationSyntax.format(timeout)); send fewer echoes, space them closer or raise the timeout",
                       path: field.path.key("icmp"), mark: fields["icmp"]!.node.mark)
                valid = false
            }
        }

        guard valid, let id, let provider = isControl ? "" : provider, let labels, let interval, let timeout
        else { return nil }
        return Target(
            id: TargetID(id), provider: provider, service: service, region: region, labels: labels,
            interval: interval, timeout: timeout, ipFamilies: families, spec: decoded.spec,
            definedAt: location(fields["id"]?.node.mark))
    }

    private mutating func spec(kind: String, _ field: Field) -> DecodedSpec? {
        switch ProbeKind(rawValue: kind)! {
        case .dns: dnsSpec(field)
        case .http: httpSpec(field)
        case .tcp: tcpSpec(field)
        case .icmp: icmpSpec(field)
        }
    }

    private mutating func interval(_ field: Field?) -> Duration? {
        guard let field, let value = duration(field) else { return nil }
        guard value >= TargetDefaults.minimumInterval else {
            report("\(DurationSyntax.format(value)) is shorter than the minimum interval 1s; write 1s or more",
                   at: field)
            return nil
        }
        return value
    }

    private mutating func timeout(_ field: Field?) -> Duration? {
        guard let field, let value = duration(field) else { return nil }
        guard value > .zero else {
            report("must be more than 0; write a timeout like 5s", at: field)
            return nil
        }
        return value
    }

    static func timeoutMessage(_ timeout: Duration, _ interval: Duration) -> String {
        "\(DurationSyntax.format(timeout)) is not shorter than interval \(DurationSyntax.format(interval)); "
            + "write a timeout below the interval"
    }
}

extension IPFamilySelection {
    init(_ family: IPFamily) {
        switch family {
        case .v4: self = .v4
        case .v6: self = .v6
        }
    }
}
