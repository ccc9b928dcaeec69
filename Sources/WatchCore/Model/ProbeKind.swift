/// The protocol a probe speaks. A closed set: adding a kind means adding a prober.
public enum ProbeKind: String, Sendable, Hashable, Codable, CaseIterable {
    case dns
    case http
    case tcp
    case icmp
}

/// The IP family one series is probed over.
///
/// A target configured for both families becomes two series, one per family, so that a broken IPv6
/// path is never hidden behind a working IPv4 one.
public enum IPFamily: String, Sendable, Hashable, Codable, CaseIterable {
    case v4
    case v6
}

/// Which IP families a target is probed over, as written in the configuration.
public enum IPFamilySelection: String, Sendable, Hashable, Codable, CaseIterable {
    case v4
    case v6
    /// Two series: one over IPv4, one over IPv6.
    case both

    /// The families this selection expands to, one series each.
    public var families: [IPFamily] {
        switch self {
        case .v4: [.v4]
        case .v6: [.v6]
        case .both: [.v4, .v6]
        }
    }
}
