/// Moving a loaded target's strings and arrays into allocations of their own.
///
/// The YAML loader builds a tree of small objects (about 300 MB for 100,000 targets) and decodes the
/// targets from it, so every string and array a target keeps lands between the tree's nodes, or
/// shares a node's string. When the tree is freed, each of those survivors keeps its page resident:
/// at 100,000 targets, about 40 MB of freed memory the allocator can never give back. Copied once
/// the tree is gone, they sit together in a few pages and the old pages are given back whole.
extension Target {
    /// This target with every string and array it owns in a fresh allocation; equal to `self`.
    ///
    /// The file name of ``definedAt`` stays shared: every target of a file points at the same one.
    public func withFreshStorage() -> Target {
        var copy = self
        copy.id = TargetID(id.rawValue.freshCopy())
        copy.provider = provider.freshCopy()
        copy.service = service.freshCopy()
        copy.region = region?.freshCopy()
        if !labels.isEmpty {
            copy.labels = Dictionary(uniqueKeysWithValues: labels.map { ($0.key.freshCopy(), $0.value.freshCopy()) })
        }
        copy.spec = spec.withFreshStorage()
        return copy
    }
}

extension ProbeSpec {
    func withFreshStorage() -> ProbeSpec {
        switch self {
        case .dns(var dns):
            dns.server = dns.server.freshCopy()
            dns.queryName = dns.queryName.freshCopy()
            dns.expectations.validRcodes = dns.expectations.validRcodes.freshCopy()
            dns.expectations.answerContains = dns.expectations.answerContains.map { $0.freshCopy() }
            dns.expectations.answerMatches = dns.expectations.answerMatches?.freshCopy()
            return .dns(dns)
        case .http(var http):
            http.url = http.url.freshCopy()
            http.method = http.method.freshCopy()
            http.headers = http.headers.map { HTTPHeaderField(name: $0.name.freshCopy(), value: $0.value.freshCopy()) }
            http.body = http.body?.freshCopy()
            http.validStatusCodes.ranges = http.validStatusCodes.ranges.freshCopy()
            http.bodyContains = http.bodyContains.map { $0.freshCopy() }
            http.bodyMatches = http.bodyMatches.map { $0.freshCopy() }
            http.bodyNotMatches = http.bodyNotMatches.map { $0.freshCopy() }
            http.headerMatches = http.headerMatches.map {
                var expectation = $0
                expectation.name = $0.name.freshCopy()
                expectation.pattern = $0.pattern.freshCopy()
                return expectation
            }
            http.caFile = http.caFile?.freshCopy()
            return .http(http)
        case .tcp(var tcp):
            tcp.host = tcp.host.freshCopy()
            return .tcp(tcp)
        case .icmp(var icmp):
            icmp.host = icmp.host.freshCopy()
            return .icmp(icmp)
        }
    }
}

extension String {
    /// The same string in storage of its own; short strings live inline and are returned as they are.
    func freshCopy() -> String {
        let count = utf8.count
        guard count > 15 else { return self }
        return String(unsafeUninitializedCapacity: count) { buffer in
            _ = buffer.initialize(fromContentsOf: utf8)
            return count
        }
    }
}

extension Array {
    /// The same elements in a buffer of their own (an empty array owns none).
    func freshCopy() -> [Element] {
        isEmpty ? self : Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: self)
        }
    }
}

extension Array where Element == Target {
    /// These targets, sharing storage with `running` wherever they are equal: the whole of `running`
    /// when nothing changed, else each target equal to the one at the same index.
    ///
    /// A reload parses the files into new values equal to the running ones; without this, the
    /// running configuration (still held by the parts of the daemon that started with it) and the
    /// reloaded one would each keep 30 MB of targets at 100,000 targets.
    public func sharingStorage(with running: [Target]) -> [Target] {
        if self == running { return running }
        var shared = self
        for index in shared.indices where index < running.count && shared[index] == running[index] {
            shared[index] = running[index]
        }
        return shared
    }
}
