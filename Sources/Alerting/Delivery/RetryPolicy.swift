import WatchCore

/// How long to wait before delivering a notification again: exponential backoff with jitter.
public struct RetryPolicy: Sendable, Hashable {
    /// The wait after the first failure (default 1 s).
    public var initialDelay: Duration
    /// The longest wait (default 5 min).
    public var maximumDelay: Duration

    /// Creates a policy.
    public init(initialDelay: Duration = .seconds(1), maximumDelay: Duration = .seconds(300)) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// The wait after `failures` consecutive failures (≥ 1): `initial · 2^(failures − 1)`, capped,
    /// of which the upper half is random ("equal jitter"), so that many senders retrying the same
    /// receiver spread out but none retries sooner than half the backoff.
    public func delay(afterFailures failures: Int, using random: inout some RandomNumberGenerator) -> Duration {
        let exponent = Swift.min(Swift.max(failures - 1, 0), 30)
        let base = Swift.min(initialDelay * (1 << exponent), maximumDelay)
        let half = base.nanoseconds / 2
        return .nanoseconds(half + Int64.random(in: 0...half, using: &random))
    }
}
