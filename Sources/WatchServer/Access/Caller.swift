/// Who a request comes from, once its token (or the lack of one) has been checked.
public enum Caller: Sendable, Hashable {
    /// The regulator: every provider.
    case admin
    /// One provider: only its own data.
    case provider(String)
    /// No token: only public status pages and `/healthz`.
    case anonymous

    /// The providers whose data this caller may read; `nil` for all.
    var visibleProviders: Set<String>? {
        switch self {
        case .admin: nil
        case .provider(let id): [id]
        case .anonymous: []
        }
    }

    /// Whether this caller may read `provider`'s data.
    func sees(_ provider: String) -> Bool {
        visibleProviders?.contains(provider) ?? true
    }
}
