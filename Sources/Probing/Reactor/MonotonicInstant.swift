/// A point on CLOCK_MONOTONIC, in nanoseconds: what the event loop keeps deadlines and send times in.
struct MonotonicInstant: Comparable, Hashable, Sendable {
    var nanoseconds: UInt64

    /// The current instant.
    static var now: MonotonicInstant { MonotonicInstant(nanoseconds: Syscall.monotonicNanoseconds()) }

    static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// The instant `duration` later (a negative duration counts as zero).
    func advanced(by duration: Duration) -> MonotonicInstant {
        let delta = duration.nanoseconds
        return MonotonicInstant(nanoseconds: delta <= 0 ? nanoseconds : nanoseconds &+ UInt64(delta))
    }

    /// The time from `earlier` to this instant, zero when `earlier` is later.
    func duration(since earlier: MonotonicInstant) -> Duration {
        nanoseconds > earlier.nanoseconds ? .nanoseconds(Int64(nanoseconds - earlier.nanoseconds)) : .zero
    }
}
