/// The `server:` section: who may read what from `ispwatch serve` (and `run --serve-address`), and
/// the limits that keep one client from starving the others.
///
/// Tokens are kept as SHA-256 hashes only: a token is a random high-entropy string, so a plain hash
/// is enough, and a leaked configuration file does not leak access.
public struct ServerSettings: Sendable, Hashable {
    /// The accepted tokens, in file order.
    public var tokens: [ServerToken]
    /// Which providers have a status page anyone can read without a token.
    public var publicStatus: PublicStatus
    /// The largest request (head and body) accepted, in bytes.
    public var maximumRequestBytes: Int
    /// Requests per second one client address may make on average.
    public var requestsPerSecond: Double
    /// How many requests one client address may make at once above that rate.
    public var burst: Int
    /// Where the file defined the section, for messages.
    public var definedAt: SourceLocation?

    /// Creates settings; the defaults allow 16 KiB requests and 20 requests per second (burst 40).
    public init(
        tokens: [ServerToken] = [], publicStatus: PublicStatus = .none, maximumRequestBytes: Int = 16_384,
        requestsPerSecond: Double = 20, burst: Int = 40, definedAt: SourceLocation? = nil
    ) {
        self.tokens = tokens
        self.publicStatus = publicStatus
        self.maximumRequestBytes = maximumRequestBytes
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
        self.definedAt = definedAt
    }

    /// Whether `provider`'s status page may be read without a token.
    public func isPublic(_ provider: String) -> Bool {
        switch publicStatus {
        case .none: false
        case .all: true
        case .providers(let ids): ids.contains(provider)
        }
    }
}

/// Which providers' status pages are public.
public enum PublicStatus: Sendable, Hashable {
    /// None (`public_status: false`, the default).
    case none
    /// Every provider's (`public_status: true`).
    case all
    /// These providers' (`public_status: [viettel, vnpt]`).
    case providers(Set<String>)
}

/// What a token's holder may read.
public enum ServerRole: Sendable, Hashable, CustomStringConvertible {
    /// Everything: the regulator.
    case admin
    /// Only this provider's targets, figures, incidents, results and alerts.
    case provider(String)

    /// Parses `admin` or `provider:<id>`; `nil` for anything else.
    public init?(_ text: String) {
        if text == "admin" {
            self = .admin
        } else if text.hasPrefix("provider:"), IdentifierSyntax.isValidID(String(text.dropFirst("provider:".count))) {
            self = .provider(String(text.dropFirst("provider:".count)))
        } else {
            return nil
        }
    }

    /// `admin` or `provider:<id>`, as written in the configuration.
    public var description: String {
        switch self {
        case .admin: "admin"
        case .provider(let id): "provider:\(id)"
        }
    }
}

/// One entry of `server.tokens`.
public struct ServerToken: Sendable, Hashable {
    /// The SHA-256 of the token (32 bytes).
    public var sha256: [UInt8]
    /// What its holder may read.
    public var role: ServerRole
    /// A name for logs (`name:`), never the token.
    public var name: String?
    /// Where the entry is, for messages.
    public var definedAt: SourceLocation?

    /// Creates an entry.
    public init(sha256: [UInt8], role: ServerRole, name: String? = nil, definedAt: SourceLocation? = nil) {
        self.sha256 = sha256
        self.role = role
        self.name = name
        self.definedAt = definedAt
    }

    /// Parses `sha256:<64 hex digits>` into the 32 bytes; `nil` for anything else.
    public static func hashBytes(_ text: String) -> [UInt8]? {
        guard text.hasPrefix("sha256:") else { return nil }
        let hex = Array(text.dropFirst("sha256:".count).utf8)
        guard hex.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = hexValue(hex[index]), let low = hexValue(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
