/// An HTTP(S) request to make, and what the response must look like.
public struct HTTPProbeSpec: Sendable, Hashable {
    /// The URL, `http://` or `https://`.
    public var url: String
    /// The request method.
    public var method: String
    /// Extra request headers, in order.
    public var headers: [HTTPHeaderField]
    /// A request body, sent as is.
    public var body: String?
    /// Whether to follow redirects (up to `maximumRedirects`); when false a 3xx is the final answer.
    public var followRedirects: Bool
    /// The most redirects followed before the probe fails with `too_many_redirects`.
    public var maximumRedirects: Int
    /// The status codes that count as success.
    public var validStatusCodes: StatusCodeSet
    /// Strings the body must contain.
    public var bodyContains: [String]
    /// Regular expressions the body must match.
    public var bodyMatches: [String]
    /// Regular expressions the body must not match.
    public var bodyNotMatches: [String]
    /// Response headers that must be present and match.
    public var headerMatches: [HeaderExpectation]
    /// The most body bytes read; a longer body fails the probe with `body_too_large`.
    public var bodySizeLimit: Int
    /// Accept a certificate that does not verify (like curl's `-k`). Expiry is still reported.
    public var insecureSkipVerify: Bool
    /// A PEM file of CA certificates to verify the server with, instead of the system's.
    public var caFile: String?
    /// Fail when the final URL is not HTTPS.
    public var failIfNotTLS: Bool
    /// Reuse connections between probes. Off by default: each probe then measures a full connect
    /// and handshake, as a new user would see it.
    public var reuseConnection: Bool

    /// Creates a spec; the defaults accept any 2xx and follow up to 10 redirects.
    public init(
        url: String, method: String = "GET", headers: [HTTPHeaderField] = [], body: String? = nil,
        followRedirects: Bool = true, maximumRedirects: Int = 10,
        validStatusCodes: StatusCodeSet = .success, bodyContains: [String] = [], bodyMatches: [String] = [],
        bodyNotMatches: [String] = [], headerMatches: [HeaderExpectation] = [],
        bodySizeLimit: Int = 1 << 20, insecureSkipVerify: Bool = false, caFile: String? = nil,
        failIfNotTLS: Bool = false, reuseConnection: Bool = false
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.followRedirects = followRedirects
        self.maximumRedirects = maximumRedirects
        self.validStatusCodes = validStatusCodes
        self.bodyContains = bodyContains
        self.bodyMatches = bodyMatches
        self.bodyNotMatches = bodyNotMatches
        self.headerMatches = headerMatches
        self.bodySizeLimit = bodySizeLimit
        self.insecureSkipVerify = insecureSkipVerify
        self.caFile = caFile
        self.failIfNotTLS = failIfNotTLS
        self.reuseConnection = reuseConnection
    }
}

/// One request header.
public struct HTTPHeaderField: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A response header that must be present and whose value must match a regular expression.
public struct HeaderExpectation: Sendable, Hashable {
    /// The header name, compared case-insensitively.
    public var name: String
    /// A regular expression the header's value must match.
    public var pattern: String
    public init(name: String, pattern: String) {
        self.name = name
        self.pattern = pattern
    }
}

/// A set of HTTP status codes, written as codes and ranges: `200-299, 301, 302`.
public struct StatusCodeSet: Sendable, Hashable, CustomStringConvertible {
    public var ranges: [ClosedRange<Int>]

    public init(_ ranges: [ClosedRange<Int>]) { self.ranges = ranges }

    /// 200–299.
    public static let success = StatusCodeSet([200...299])

    /// Whether `code` is in the set.
    public func contains(_ code: Int) -> Bool { ranges.contains { $0.contains(code) } }

    /// Parses `200-299, 301` (whitespace optional); `nil` when any part is not a code or range of
    /// codes between 100 and 599.
    public init?(parsing text: String) {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: " ") }
            guard (1...2).contains(bounds.count), let low = Int(bounds[0]),
                  let high = bounds.count == 2 ? Int(bounds[1]) : low,
                  (100...599).contains(low), (100...599).contains(high), low <= high
            else { return nil }
            ranges.append(low...high)
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    public var description: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var slice = self[...]
        while slice.first == set { slice = slice.dropFirst() }
        while slice.last == set { slice = slice.dropLast() }
        return String(slice)
    }
}
