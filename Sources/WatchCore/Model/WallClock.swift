#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the system's real-time clock. Code that decides things by time takes a clock as a
/// parameter instead (see the scheduler); this is for stamping results.
public enum WallClock {
    /// The current wall-clock time.
    public static func now() -> Timestamp {
        var spec = timespec()
        // CLOCK_REALTIME cannot fail with a valid pointer; the vDSO serves it without a system call.
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(nanosecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }
}
