/// How long the sender waits before trying a batch again: exponential from `minimum`, capped at
/// `maximum`, with "full jitter" above the minimum so that a fleet of senders that lost the same
/// receiver do not come back at the same instant.
public struct RetryBackoff: Sendable, Hashable {
    /// The wait after the first failure, and the floor of every wait.
    public var minimum: Duration
    /// The longest wait.
    public var maximum: Duration

    /// Creates a backoff.
    public init(minimum: Duration, maximum: Duration) {
        self.minimum = minimum
        self.maximum = Swift.max(maximum, minimum)
    }

    /// The wait after `failures` consecutive failures (≥ 1): uniformly random between `minimum` and
    /// `minimum · 2^(failures − 1)` capped at `maximum`.
    public func delay(afterFailures failures: Int, using random: inout some RandomNumberGenerator) -> Duration {
        let doublings = Swift.min(Swift.max(failures - 1, 0), 40)
        let floor = minimum.nanoseconds
        let ceiling = Swift.min(floor.multipliedReportingOverflow(by: 1 << doublings).partialValue, maximum.nanoseconds)
        guard ceiling > floor, floor >= 0 else { return .nanoseconds(Swift.max(ceiling, 0)) }
        return .nanoseconds(Int64.random(in: floor...ceiling, using: &random))
    }
}
