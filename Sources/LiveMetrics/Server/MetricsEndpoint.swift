import NIOHTTP1

/// What the metrics server answers to a request line: the routing, apart from any socket.
enum MetricsEndpoint: Equatable {
    /// `GET` or `HEAD /metrics`: the exposition.
    case metrics
    /// `GET` or `HEAD /healthz`: `ok`.
    case health
    /// A known path with another method.
    case methodNotAllowed
    /// Any other path.
    case notFound

    /// The content type of the Prometheus text format 0.0.4.
    static let expositionContentType = "text/plain; version=0.0.4; charset=utf-8"

    init(method: HTTPMethod, uri: String) {
        // The query string is ignored: Prometheus may add parameters to the scrape URL.
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let known: MetricsEndpoint
        switch path {
        case "/metrics": known = .metrics
        case "/healthz": known = .health
        default:
            self = .notFound
            return
        }
        self = method == .GET || method == .HEAD ? known : .methodNotAllowed
    }

    var status: HTTPResponseStatus {
        switch self {
        case .metrics, .health: .ok
        case .methodNotAllowed: .methodNotAllowed
        case .notFound: .notFound
        }
    }

    var contentType: String {
        self == .metrics ? Self.expositionContentType : "text/plain; charset=utf-8"
    }

    /// The body of every answer but the exposition's.
    var fixedBody: String {
        switch self {
        case .metrics: ""
        case .health: "ok"
        case .methodNotAllowed: "method not allowed: use GET or HEAD\n"
        case .notFound: "not found: the metrics are at /metrics\n"
        }
    }
}
