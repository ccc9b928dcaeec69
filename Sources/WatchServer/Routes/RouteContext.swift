import SeriesStore
import WatchCore

/// What every route reads: the configuration, the stores, the clock, and who is asking.
struct RouteContext: Sendable {
    /// The configuration (providers, targets, maintenance, objectives).
    var configuration: Configuration
    /// The stores.
    var stores: ServerStores
    /// The wall clock (injected, so pages and defaults are testable).
    var now: Timestamp
    /// The caller.
    var caller: Caller

    /// The providers in `query["provider"]` (comma-separated) that the caller sees, or every
    /// provider the caller sees (`nil` for an admin without the parameter).
    ///
    /// - Throws: 404 for a provider the caller may not see or that does not exist: the two answers
    ///   are the same, so a provider cannot learn which ids exist.
    func providerFilter(_ request: ServerRequest, catalog: Catalog) throws(RouteFailure) -> Set<String>? {
        guard let text = request.query["provider"] else { return caller.visibleProviders }
        var wanted: Set<String> = []
        for id in text.split(separator: ",").map(String.init) {
            guard caller.sees(id), catalog.providers[id] != nil else { throw .notFound }
            wanted.insert(id)
        }
        guard !wanted.isEmpty else { throw .badParameter("provider", "give one or more provider ids, comma-separated") }
        return wanted
    }
}
