/// A DNS question to ask one server, and what the answer must look like.
public struct DNSProbeSpec: Sendable, Hashable {
    /// The server to ask: an IP literal or a host name.
    public var server: String
    /// The server's port.
    public var port: Int
    /// The name to ask about, e.g. `www.example.vn`.
    public var queryName: String
    /// The record type to ask for.
    public var queryType: DNSRecordType
    /// Whether to set the RD (recursion desired) bit; true for resolvers, false for authoritatives.
    public var recursionDesired: Bool
    /// UDP (retrying over TCP when the answer is truncated) or TCP only.
    public var transport: DNSTransport
    /// The EDNS0 UDP payload size to advertise, or `nil` to send no OPT record.
    public var ednsBufferSize: Int?
    /// What the answer must look like.
    public var expectations: DNSExpectations

    /// Creates a spec; the defaults are those of a recursive resolver probe.
    public init(
        server: String, port: Int = 53, queryName: String, queryType: DNSRecordType = .a,
        recursionDesired: Bool = true, transport: DNSTransport = .udp, ednsBufferSize: Int? = 1232,
        expectations: DNSExpectations = DNSExpectations()
    ) {
        self.server = server
        self.port = port
        self.queryName = queryName
        self.queryType = queryType
        self.recursionDesired = recursionDesired
        self.transport = transport
        self.ednsBufferSize = ednsBufferSize
        self.expectations = expectations
    }
}

/// How DNS questions travel.
public enum DNSTransport: String, Sendable, Hashable, Codable, CaseIterable {
    /// UDP, retried over TCP when the answer comes back truncated (TC bit).
    case udp
    /// TCP only.
    case tcp
}

/// What a DNS answer must satisfy for the probe to succeed.
public struct DNSExpectations: Sendable, Hashable {
    /// The rcodes that count as success (default NOERROR only).
    public var validRcodes: [DNSRcode]
    /// Strings that must each appear in the data of some answer record (e.g. an IP address).
    public var answerContains: [String]
    /// A regular expression that some answer record (presentation format) must match.
    public var answerMatches: String?
    /// The answer section must hold at least this many records.
    public var minimumAnswers: Int

    /// Creates expectations; the default accepts any NOERROR answer.
    public init(
        validRcodes: [DNSRcode] = [.noError], answerContains: [String] = [], answerMatches: String? = nil,
        minimumAnswers: Int = 0
    ) {
        self.validRcodes = validRcodes
        self.answerContains = answerContains
        self.answerMatches = answerMatches
        self.minimumAnswers = minimumAnswers
    }
}

/// A DNS record type (RFC 1035 §3.2.2 and later registrations).
public struct DNSRecordType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = DNSRecordType(rawValue: 1)
    public static let ns = DNSRecordType(rawValue: 2)
    public static let cname = DNSRecordType(rawValue: 5)
    public static let soa = DNSRecordType(rawValue: 6)
    public static let ptr = DNSRecordType(rawValue: 12)
    public static let mx = DNSRecordType(rawValue: 15)
    public static let txt = DNSRecordType(rawValue: 16)
    public static let aaaa = DNSRecordType(rawValue: 28)
    public static let opt = DNSRecordType(rawValue: 41)
    public static let any = DNSRecordType(rawValue: 255)
    public static let caa = DNSRecordType(rawValue: 257)

    private static let names: [(DNSRecordType, String)] = [
        (.a, "A"), (.ns, "NS"), (.cname, "CNAME"), (.soa, "SOA"), (.ptr, "PTR"), (.mx, "MX"),
        (.txt, "TXT"), (.aaaa, "AAAA"), (.opt, "OPT"), (.any, "ANY"), (.caa, "CAA"),
    ]

    /// The types a probe may ask for by name, in the spelling the configuration uses.
    public static let queryableNames = ["A", "AAAA", "CNAME", "NS", "SOA", "MX", "TXT", "PTR", "CAA", "ANY"]

    /// Parses a mnemonic (`AAAA`, case-insensitive) or the RFC 3597 form `TYPE65`.
    public init?(name: String) {
        let upper = name.uppercased()
        if let known = Self.names.first(where: { $0.1 == upper }) {
            self = known.0
        } else if upper.hasPrefix("TYPE"), let number = UInt16(upper.dropFirst(4)) {
            self.init(rawValue: number)
        } else {
            return nil
        }
    }

    /// The mnemonic, or `TYPEnn` for types without one.
    public var description: String {
        Self.names.first(where: { $0.0 == self })?.1 ?? "TYPE\(rawValue)"
    }
}

/// A DNS response code (RFC 1035 §4.1.1, RFC 6895), including extended rcodes from EDNS.
public struct DNSRcode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let noError = DNSRcode(rawValue: 0)
    public static let formErr = DNSRcode(rawValue: 1)
    public static let servFail = DNSRcode(rawValue: 2)
    public static let nxDomain = DNSRcode(rawValue: 3)
    public static let notImp = DNSRcode(rawValue: 4)
    public static let refused = DNSRcode(rawValue: 5)
    public static let yxDomain = DNSRcode(rawValue: 6)
    public static let badVers = DNSRcode(rawValue: 16)

    private static let names: [(DNSRcode, String)] = [
        (.noError, "NOERROR"), (.formErr, "FORMERR"), (.servFail, "SERVFAIL"), (.nxDomain, "NXDOMAIN"),
        (.notImp, "NOTIMP"), (.refused, "REFUSED"), (.yxDomain, "YXDOMAIN"), (.badVers, "BADVERS"),
    ]

    /// Parses a mnemonic (`NXDOMAIN`, case-insensitive) or a number.
    public init?(name: String) {
        let upper = name.uppercased()
        if let known = Self.names.first(where: { $0.1 == upper }) {
            self = known.0
        } else if let number = Int(upper), (0...4095).contains(number) {
            self.init(rawValue: number)
        } else {
            return nil
        }
    }

    /// The mnemonic, or `RCODEnn`.
    public var description: String {
        Self.names.first(where: { $0.0 == self })?.1 ?? "RCODE\(rawValue)"
    }

    /// The failure reason a probe reports when this rcode is not accepted.
    public var failureReason: FailureReason {
        switch self {
        case .servFail: .dnsServfail
        case .nxDomain: .dnsNXDomain
        case .refused: .dnsRefused
        default: .dnsRcode
        }
    }
}
