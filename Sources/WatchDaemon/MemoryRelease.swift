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

    /// Fixes the size from which glibc serves an allocation with its own `mmap`, returned to the
    /// system when freed, at `bytes` (glibc's initial 128 KiB).
    ///
    /// Left alone, glibc raises that threshold each time a mapped block is freed, up to 32 MiB:
    /// after loading a large configuration (whose parse frees blocks of tens of MB) every later
    /// array of up to 32 MiB (a scheduler table, a metrics list, a store batch) came from the heap
    /// instead, among small long-lived objects that kept its pages resident once it was freed.
    public static func fixMappedAllocationThreshold(at bytes: Int32 = 128 * 1024) {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, bytes)
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
