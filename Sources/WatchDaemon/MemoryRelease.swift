#if canImport(Glibc)
import CMalloc
#endif

/// Gives freed heap memory back to the system.
///
/// Loading 100,000 targets and registering their series peaks far above the daemon's steady state
/// in short-lived allocations; glibc keeps such memory for the life of the process unless asked.
public enum MemoryRelease {
    /// Calls glibc's `malloc_trim(0)` (a no-op elsewhere).
    public static func returnFreedMemory() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }

    /// Caps glibc's malloc arenas at `count` (call before starting threads). glibc gives each busy
    /// thread an arena of its own and keeps what they free; the daemon's threads (probers, store,
    /// metrics) then hold tens of MB of free memory each.
    public static func limitArenas(to count: Int32) {
        #if canImport(Glibc)
        _ = mallopt(M_ARENA_MAX, count)
        #endif
    }
}
