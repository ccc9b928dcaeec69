#if canImport(Glibc)
import CMalloc
#endif

/// Gives freed heap memory back to the system, and says how much the allocator holds.
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

    /// What glibc's allocator holds, in bytes; `nil` where glibc is absent.
    public static func heapUsage() -> HeapUsage? {
        #if canImport(Glibc)
        let info = mallinfo2()
        return HeapUsage(inUse: Int(info.uordblks + info.hblkhd), freeInArenas: Int(info.fordblks))
        #else
        return nil
        #endif
    }
}

/// The allocator's figures: what the program uses, and what it freed but the allocator kept.
public struct HeapUsage: Sendable, Hashable {
    /// Bytes in blocks the program holds (small ones in arenas and large ones mapped on their own).
    public var inUse: Int
    /// Bytes free inside the arenas: kept by the allocator, part of the resident size only where the
    /// pages were touched and not given back by ``MemoryRelease/returnFreedMemory()``.
    public var freeInArenas: Int
}
