import WatchCore

/// A token bucket on injected time: `rate` tokens per second, holding at most `burst`.
///
/// Tokens are kept as nanoseconds of accumulated credit (one token = `1e9 / rate` ns), so the
/// arithmetic is exact integer arithmetic and does not drift over a long run.
public struct TokenBucket: Sendable, Hashable {
    /// Nanoseconds of credit one token costs.
    public let nanosecondsPerToken: Int64
    /// The most tokens the bucket holds (the largest burst).
    public let burst: Int
    private var credit: Int64
    private var lastRefill: Int64?

    /// Creates a full bucket.
    ///
    /// - Parameters:
    ///   - rate: tokens per second; must be positive.
    ///   - burst: the capacity, at least 1.
    public init(rate: Double, burst: Int) {
        precondition(rate > 0, "a token bucket needs a positive rate")
        self.nanosecondsPerToken = max(1, Int64((1e9 / rate).rounded()))
        self.burst = max(1, burst)
        self.credit = nanosecondsPerToken * Int64(self.burst)
    }

    /// Takes one token if one is available at `now`.
    public mutating func take(at now: Timestamp) -> Bool {
        refill(at: now)
        guard credit >= nanosecondsPerToken else { return false }
        credit -= nanosecondsPerToken
        return true
    }

    /// Whether a token is available at `now`, without taking it.
    public func hasToken(at now: Timestamp) -> Bool {
        var copy = self
        copy.refill(at: now)
        return copy.credit >= copy.nanosecondsPerToken
    }

    /// When the next token is available, given the state at `now`.
    public func nextToken(after now: Timestamp) -> Timestamp {
        var copy = self
        copy.refill(at: now)
        let missing = max(0, copy.nanosecondsPerToken - copy.credit)
        return now.advanced(by: .nanoseconds(missing))
    }

    private mutating func refill(at now: Timestamp) {
        let time = now.nanosecondsSinceEpoch
        defer { lastRefill = max(lastRefill ?? time, time) }
        guard let last = lastRefill, time > last else { return }
        let capacity = nanosecondsPerToken * Int64(burst)
        credit = min(capacity, credit + (time - last))
    }
}
