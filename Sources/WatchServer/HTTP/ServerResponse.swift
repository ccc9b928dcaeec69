import Foundation

/// One response as the routes produce it.
public struct ServerResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The `Content-Type`.
    public var contentType: String
    /// The body.
    public var body: [UInt8]
    /// Further headers (`WWW-Authenticate`, `Retry-After`, …).
    public var headers: [(name: String, value: String)] = []

    /// Creates a response.
    public init(status: Int, contentType: String, body: [UInt8], headers: [(name: String, value: String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// A JSON body from an `Encodable` value (sorted keys, so bodies are stable).
    static func json(_ value: some Encodable, status: Int = 200) -> ServerResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = (try? encoder.encode(value)).map { Array($0) } ?? Array(#"{"error":"the response could not be encoded"}"#.utf8)
        return ServerResponse(status: status, contentType: "application/json; charset=utf-8", body: bytes)
    }

    /// An HTML page.
    static func html(_ text: String, status: Int = 200) -> ServerResponse {
        ServerResponse(status: status, contentType: "text/html; charset=utf-8", body: Array(text.utf8))
    }

    /// Plain text.
    static func text(_ text: String, contentType: String = "text/plain; charset=utf-8", status: Int = 200) -> ServerResponse {
        ServerResponse(status: status, contentType: contentType, body: Array(text.utf8))
    }
}

/// Why a route did not answer: becomes a JSON error (or an HTML page for pages) with a message,
/// and for a bad parameter its name.
public struct RouteFailure: Error, Sendable, Encodable {
    /// The HTTP status.
    public var status: Int
    /// What went wrong, for a person.
    public var message: String
    /// The query parameter at fault, for 400s.
    public var parameter: String?

    /// A 400 naming `parameter` and why it was refused.
    static func badParameter(_ parameter: String, _ why: String) -> RouteFailure {
        RouteFailure(status: 400, message: "\(parameter): \(why)", parameter: parameter)
    }

    /// The one 404 for anything the caller may not see or that does not exist: the two must not be
    /// told apart, or a provider could probe for another's targets.
    static let notFound = RouteFailure(status: 404, message: "not found")

    /// A missing or unknown token.
    static let unauthorized = RouteFailure(status: 401, message: "a valid token is required: send Authorization: Bearer <token>")

    enum CodingKeys: String, CodingKey { case status, message = "error", parameter }

    /// The JSON response.
    var response: ServerResponse {
        var response = ServerResponse.json(self, status: status)
        if status == 401 { response.headers.append((name: "WWW-Authenticate", value: #"Bearer realm="ispwatch""#)) }
        return response
    }
}
