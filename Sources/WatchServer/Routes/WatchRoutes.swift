import LiveMetrics
import WatchCore

/// Every route of the server as one function from a request to a response, with access control
/// and rate limiting applied first. Synchronous and blocking (it reads the stores): the hosting
/// code runs it on a thread pool, never on the cooperative pool.
public struct WatchRoutes: Sendable {
    private let configuration: Configuration
    private let stores: ServerStores
    private let authenticator: TokenAuthenticator
    private let limiter: RateLimiter
    private let probeMetrics: ProbeMetrics?
    private let counters = ServerCounters()
    private let now: @Sendable () -> Timestamp

    /// Creates the routes.
    ///
    /// - Parameters:
    ///   - configuration: providers, targets, maintenance, objectives, and the `server:` section
    ///     (tokens, public pages, limits; without one, only `/healthz` answers without a 401).
    ///   - dataDirectories: the stores (one per vantage), read afresh on every request.
    ///   - probeMetrics: inside `ispwatch run`, the live registry `/metrics` adds to the server's own.
    ///   - now: the wall clock.
    ///   - monotonicSeconds: the clock of the rate limiter.
    public init(
        configuration: Configuration, dataDirectories: [String], probeMetrics: ProbeMetrics? = nil,
        now: @escaping @Sendable () -> Timestamp = { WallClock.now() },
        monotonicSeconds: @escaping @Sendable () -> Double = { MonotonicClock.seconds() }
    ) {
        self.configuration = configuration
        self.stores = ServerStores(directories: dataDirectories)
        let settings = configuration.server ?? ServerSettings()
        self.authenticator = TokenAuthenticator(tokens: settings.tokens)
        self.limiter = RateLimiter(perSecond: settings.requestsPerSecond, burst: settings.burst, now: monotonicSeconds)
        self.probeMetrics = probeMetrics
        self.now = now
    }

    /// The largest request accepted, from the configuration.
    public var maximumRequestBytes: Int { (configuration.server ?? ServerSettings()).maximumRequestBytes }

    /// Answers one request.
    public func respond(to request: ServerRequest) -> ServerResponse {
        let route = Self.routeName(request.path)
        let response = answer(request, route: route)
        counters.count(route: route, status: response.status)
        return response
    }

    private func answer(_ request: ServerRequest, route: String) -> ServerResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = RouteFailure(status: 405, message: "method not allowed: use GET or HEAD").response
            response.headers.append((name: "Allow", value: "GET, HEAD"))
            return response
        }
        if request.path == "/healthz" { return .text("ok\n") }
        guard limiter.admit(request.client) else {
            var response = RouteFailure(status: 429, message: "too many requests from this address; slow down").response
            response.headers.append((name: "Retry-After", value: "1"))
            return response
        }
        guard let caller = authenticator.caller(authorization: request.authorization, queryToken: request.query["access_token"]) else {
            return Self.isPage(request.path) ? StatusPages.failurePage(.unauthorized, request) : RouteFailure.unauthorized.response
        }
        let context = RouteContext(configuration: configuration, stores: stores, now: now(), caller: caller)
        do throws(RouteFailure) {
            if Self.isPage(request.path) {
                return try StatusPages.respond(request, context)
            }
            guard caller != .anonymous else { throw .unauthorized }
            switch request.path {
            case "/api/v1/providers": return try CatalogRoutes.providers(request, context)
            case "/api/v1/targets": return try CatalogRoutes.targets(request, context)
            case "/api/v1/sla": return try SLARoute.respond(request, context)
            case "/api/v1/incidents": return try IncidentsRoute.respond(request, context)
            case "/api/v1/results": return try ResultsRoute.respond(request, context)
            case "/api/v1/alerts": return try AlertsRoute.respond(request, context)
            case "/api/v1/report": return try ReportRoute.respond(request, context)
            case "/metrics": return try metrics(caller)
            default: throw .notFound
            }
        } catch {
            return Self.isPage(request.path) ? StatusPages.failurePage(error, request) : error.response
        }
    }

    /// `/metrics`: the regulator's only (the series labels name every provider).
    private func metrics(_ caller: Caller) throws(RouteFailure) -> ServerResponse {
        guard caller == .admin else { throw .notFound }
        var body = Array(counters.exposition().utf8)
        if let probeMetrics { body += probeMetrics.render() }
        return ServerResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: body)
    }

    /// The status pages: `/` and `/providers/<id>`.
    static func isPage(_ path: String) -> Bool {
        path == "/" || path.hasPrefix("/providers/")
    }

    /// A bounded label for the request counters (never the path itself, which a client chooses).
    static func routeName(_ path: String) -> String {
        let known = ["/", "/healthz", "/metrics", "/api/v1/providers", "/api/v1/targets", "/api/v1/sla", "/api/v1/incidents",
                     "/api/v1/results", "/api/v1/alerts", "/api/v1/report"]
        if known.contains(path) { return path }
        return path.hasPrefix("/providers/") ? "/providers/{id}" : "other"
    }
}
