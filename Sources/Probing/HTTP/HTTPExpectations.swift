import Synchronization
import WatchCore

/// Regular expressions of HTTP expectations, compiled once per pattern and shared by every probe.
final class HTTPPatternCache: Sendable {
    /// A compiled pattern. Swift's `Regex` is immutable once built, so sharing it across probes is safe.
    struct Compiled: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>
    }

    private let compiled = Mutex<[String: Compiled]>([:])

    /// The compiled `pattern`; throws when it is not a valid regular expression.
    func regex(_ pattern: String) throws -> Regex<AnyRegexOutput> {
        if let hit = compiled.withLock({ $0[pattern] }) { return hit.regex }
        let regex = try Regex(pattern)
        compiled.withLock { $0[pattern] = Compiled(regex: regex) }
        return regex
    }
}

/// What a finished HTTP exchange looked like, as far as expectations care.
struct HTTPResponseView {
    var statusCode: Int
    var body: [UInt8]
    var headers: [(name: String, value: String)]
    var effectiveURL: String?
    var tlsVersion: String?
}

/// Checks an HTTP response against its spec's expectations, in a fixed order: status, body,
/// headers, TLS. Every expectation is recorded; the first that failed decides the reason.
struct HTTPExpectationEvaluation {
    private(set) var checks: [ExpectationCheck] = []
    private(set) var failure: (reason: FailureReason, detail: String)?

    /// Whether the spec needs the body kept in memory.
    static func needsBody(_ spec: HTTPProbeSpec) -> Bool {
        !spec.bodyContains.isEmpty || !spec.bodyMatches.isEmpty || !spec.bodyNotMatches.isEmpty
    }

    init(spec: HTTPProbeSpec, response: HTTPResponseView, patterns: HTTPPatternCache) {
        let statusPassed = spec.validStatusCodes.contains(response.statusCode)
        record("status in \(spec.validStatusCodes)", statusPassed, observed: "\(response.statusCode)",
               reason: .httpStatus)

        if Self.needsBody(spec) {
            let text = String(decoding: response.body, as: UTF8.self)
            for needle in spec.bodyContains {
                record("body contains \"\(needle)\"", text.contains(needle), observed: nil, reason: .bodyMismatch)
            }
            for pattern in spec.bodyMatches {
                let matched = matches(pattern, in: text, patterns: patterns)
                record("body matches /\(pattern)/", matched == true, observed: nil, reason: .bodyMismatch)
            }
            for pattern in spec.bodyNotMatches {
                let matched = matches(pattern, in: text, patterns: patterns)
                record("body does not match /\(pattern)/", matched == false, observed: nil, reason: .bodyMismatch)
            }
        }

        for expectation in spec.headerMatches {
            let values = response.headers.filter { $0.name.lowercased() == expectation.name.lowercased() }
                .map(\.value)
            let passed = values.contains { matches(expectation.pattern, in: $0, patterns: patterns) == true }
            record("header \(expectation.name) matches /\(expectation.pattern)/", passed,
                   observed: values.isEmpty ? "absent" : values.joined(separator: ", "), reason: .headerMismatch)
        }

        if spec.failIfNotTLS {
            let isTLS = response.effectiveURL?.lowercased().hasPrefix("https://") == true
            record("TLS", isTLS, observed: response.tlsVersion ?? "plain HTTP", reason: .tlsHandshake)
        }
    }

    /// Whether `pattern` matches somewhere in `text`; `nil` when the pattern does not compile,
    /// which fails the expectation whichever way it is phrased.
    private func matches(_ pattern: String, in text: String, patterns: HTTPPatternCache) -> Bool? {
        guard let regex = try? patterns.regex(pattern) else { return nil }
        return (try? regex.firstMatch(in: text)) != nil
    }

    private mutating func record(_ expectation: String, _ passed: Bool, observed: String?, reason: FailureReason) {
        checks.append(ExpectationCheck(expectation: expectation, passed: passed, observed: observed))
        if !passed && failure == nil {
            failure = (reason, observed.map { "\(expectation) failed: got \($0)" } ?? "\(expectation) failed")
        }
    }
}
