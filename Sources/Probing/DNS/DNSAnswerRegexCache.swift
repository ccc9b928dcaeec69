import Synchronization

/// Compiles each `answerMatches` pattern once and shares it between probes.
final class DNSAnswerRegexCache: Sendable {
    /// A compiled pattern. `Regex` is immutable once built and safe to share; the type simply does
    /// not declare `Sendable` for `AnyRegexOutput`.
    struct Compiled: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>
    }

    /// Patterns kept at most; the cache is emptied when full (configurations have a handful).
    private static let capacity = 1024
    private let compiled = Mutex<[String: Result<Compiled, RegexCompileError>]>([:])

    struct RegexCompileError: Error, Sendable {
        let message: String
    }

    /// The compiled pattern, or why it does not compile.
    func regex(for pattern: String) -> Result<Compiled, RegexCompileError> {
        if let cached = compiled.withLock({ $0[pattern] }) { return cached }
        let result: Result<Compiled, RegexCompileError>
        do {
            result = .success(Compiled(regex: try Regex(pattern)))
        } catch {
            result = .failure(RegexCompileError(message: "\(error)"))
        }
        compiled.withLock { cache in
            if cache.count >= Self.capacity { cache.removeAll() }
            cache[pattern] = result
        }
        return result
    }
}
