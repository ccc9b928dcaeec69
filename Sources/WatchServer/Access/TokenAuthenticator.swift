import WatchCore

/// Maps a presented token to its role by its SHA-256, in time that does not depend on which stored
/// hash (if any) matches or how many leading bytes agree.
public struct TokenAuthenticator: Sendable {
    private let tokens: [ServerToken]

    /// Creates an authenticator over the configured tokens.
    public init(tokens: [ServerToken]) {
        self.tokens = tokens
    }

    /// The caller of a request: from `Authorization: Bearer <token>`, else the `access_token` query
    /// parameter (RFC 6750 §2.3, for browsers that cannot send headers); `.anonymous` with neither;
    /// `nil` for a token that matches no entry (or a malformed header).
    public func caller(authorization: String?, queryToken: String?) -> Caller? {
        let presented: String
        if let authorization {
            guard authorization.lowercased().hasPrefix("bearer ") else { return nil }
            presented = String(authorization.dropFirst("bearer ".count).drop { $0 == " " })
        } else if let queryToken {
            presented = queryToken
        } else {
            return .anonymous
        }
        guard !presented.isEmpty else { return nil }
        let digest = SHA256.hash(Array(presented.utf8))
        var matched: ServerRole?
        // Every entry is compared in full: no early exit that would time which entry matched.
        for token in tokens where Self.constantTimeEqual(token.sha256, digest) {
            matched = matched ?? token.role
        }
        switch matched {
        case .admin: return .admin
        case .provider(let id): return .provider(id)
        case nil: return nil
        }
    }

    /// Whether two byte strings are equal, reading every byte of both whatever they hold.
    static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
