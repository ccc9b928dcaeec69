#if canImport(Glibc)
import Glibc
#endif

/// The scheduling priority of the store's background thread.
enum BackgroundPriority {
    /// How much nicer than the rest of the process the background thread runs.
    static let niceness: Int32 = 10

    /// Makes the calling thread yield the CPU to the rest of the process when both want it.
    ///
    /// Sealing a 64 MiB segment takes a core for a second or more; on a busy vantage that second
    /// came out of the probes' time, and probes in flight timed out. Nice 10 gives the thread about
    /// a tenth of a contended core and all of an idle one. Safe for the thread's other job, flushing:
    /// the probe loop never waits for the writer's lock (the `StoreSink` thread does). On Linux the
    /// nice value belongs to the thread, and `who` 0 names the calling one; elsewhere this does
    /// nothing (it would renice the whole process).
    static func lowerForCallingThread() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }
}
