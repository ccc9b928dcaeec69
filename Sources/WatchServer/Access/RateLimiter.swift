import Glibc
import Synchronization

/// A token bucket per client address: each client may make `burst` requests at once and
/// `perSecond` on average. Shared by every connection, so it is a `Mutex`.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updatedAt: Double
    }

    private let perSecond: Double
    private let burst: Double
    private let now: @Sendable () -> Double
    private let buckets = Mutex<[String: Bucket]>([:])
    /// Beyond this many clients the full buckets are forgotten (a full bucket is the same as none).
    private let trackedClients = 10_000

    /// Creates a limiter; `now` is a monotonic clock in seconds (injected for tests).
    public init(perSecond: Double, burst: Int, now: @escaping @Sendable () -> Double) {
        self.perSecond = perSecond
        self.burst = Double(burst)
        self.now = now
    }

    /// Takes one request's token for `client`; `false` when its bucket is empty.
    public func admit(_ client: String) -> Bool {
        let time = now()
        return buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: burst, updatedAt: time)
            bucket.tokens = min(burst, bucket.tokens + (time - bucket.updatedAt) * perSecond)
            bucket.updatedAt = time
            let admitted = bucket.tokens >= 1
            if admitted { bucket.tokens -= 1 }
            buckets[client] = bucket
            if buckets.count > trackedClients {
                buckets = buckets.filter { $0.value.tokens + (time - $0.value.updatedAt) * perSecond < burst }
            }
            return admitted
        }
    }
}

/// The monotonic clock of the rate limiter, in seconds.
public enum MonotonicClock {
    /// Seconds since an arbitrary fixed point (boot).
    public static func seconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
