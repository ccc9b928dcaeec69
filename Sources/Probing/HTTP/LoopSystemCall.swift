import Glibc

/// A system call of the HTTP event loop that failed, with its errno.
struct LoopSystemCallError: Error, CustomStringConvertible {
    var call: StaticString
    var errno: Int32
    var description: String { "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))" }
}

/// The one errno-checking funnel for the loop's own system calls (epoll, eventfd).
///
/// Retries on EINTR; any other -1 becomes a ``LoopSystemCallError``.
@inline(__always)
func loopSystemCall<Result: FixedWidthInteger>(
    _ call: StaticString, _ body: () -> Result
) throws(LoopSystemCallError) -> Result {
    while true {
        let result = body()
        if result != -1 { return result }
        let failure = errno
        if failure == EINTR { continue }
        throw LoopSystemCallError(call: call, errno: failure)
    }
}
