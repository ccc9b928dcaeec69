#if canImport(Glibc)
import Glibc
#endif
import WatchCore

extension ProbeResult {
    /// This result, failed with `failure`, its duration measured up to now.
    func failed(_ failure: ProbeFailure, started: MonotonicInstant) -> ProbeResult {
        var result = self
        result.success = false
        result.failure = failure.reason
        result.failureDetail = failure.detail
        if let resolve = failure.resolveDuration { result.phases.resolve = resolve }
        result.duration = MonotonicInstant.now.duration(since: started)
        return result
    }
}
