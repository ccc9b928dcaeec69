import Hummingbird
import NIOCore
import NIOPosix

/// The request context: Hummingbird's core storage and the peer's address (rate limits are per
/// client address).
struct WatchRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer's IP address, as text.
    let client: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        client = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// Adapts Hummingbird's requests to ``WatchRoutes``: enforces the request size, then runs the
/// route (which reads files) on NIO's thread pool, never on the cooperative pool.
struct HummingbirdResponder: HTTPResponder {
    let routes: WatchRoutes

    func respond(to request: Request, context: WatchRequestContext) async throws -> Response {
        let limit = routes.maximumRequestBytes
        let headBytes = request.uri.string.utf8.count
            + request.headers.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count + 4 }
        guard headBytes <= limit else {
            return Self.response(RouteFailure(status: 431, message: "the request head is larger than \(limit) bytes").response,
                                 method: request.method)
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: limit - headBytes)
        } catch {
            return Self.response(RouteFailure(status: 413, message: "the request is larger than \(limit) bytes").response,
                                 method: request.method)
        }
        let serverRequest = ServerRequest(
            method: request.method.rawValue, target: request.uri.string, authorization: request.headers[.authorization],
            client: context.client)
        let routes = routes
        let answer = try await NIOThreadPool.singleton.runIfActive { routes.respond(to: serverRequest) }
        return Self.response(answer, method: request.method)
    }

    private static func response(_ answer: ServerResponse, method: HTTPRequest.Method) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = answer.contentType
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        for header in answer.headers {
            switch header.name {
            case "WWW-Authenticate": headers[.wwwAuthenticate] = header.value
            case "Retry-After": headers[.retryAfter] = header.value
            case "Allow": headers[.allow] = header.value
            default: break
            }
        }
        headers[.contentLength] = String(answer.body.count)
        let body = method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body))
        return Response(status: HTTPResponse.Status(code: answer.status), headers: headers, body: body)
    }
}
