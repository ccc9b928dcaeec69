/// One request as the routes see it: no framework types, so the routes are plain functions that
/// tests call in-process and Hummingbird only adapts.
public struct ServerRequest: Sendable {
    /// `GET`, `HEAD`, …
    public var method: String
    /// The decoded path, e.g. `/api/v1/sla`.
    public var path: String
    /// The query parameters, decoded; a name given twice keeps its first value.
    public var query: [String: String]
    /// The `Authorization` header, when sent.
    public var authorization: String?
    /// Who is asking (the peer address), for rate limiting.
    public var client: String

    /// Creates a request from a request target such as `/api/v1/sla?from=…`.
    public init(method: String = "GET", target: String, authorization: String? = nil, client: String = "test") {
        self.method = method
        self.authorization = authorization
        self.client = client
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = Self.percentDecoded(String(parts[0])) ?? String(parts[0])
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = Self.percentDecoded(String(halves[0]).replacingOccurrences(of: "+", with: " ")) ?? String(halves[0])
                let value = halves.count == 2
                    ? Self.percentDecoded(String(halves[1]).replacingOccurrences(of: "+", with: " ")) ?? String(halves[1]) : ""
                if query[name] == nil { query[name] = value }
            }
        }
        self.query = query
    }

    /// `%XX` decoded as UTF-8; `nil` when malformed.
    static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
