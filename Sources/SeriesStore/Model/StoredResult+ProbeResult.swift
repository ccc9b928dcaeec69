import WatchCore

extension StoredResult {
    /// Rebuilds the domain result this stored result came from, as far as the store keeps it (no
    /// failure detail, remote address, checks or protocol detail; times in ms, durations in µs).
    ///
    /// - Parameter entry: the series entry of ``series``, for target, family and kind.
    /// - Returns: `nil` when the entry records no probe kind.
    public func probeResult(in entry: SeriesEntry) -> ProbeResult? {
        guard let kind = entry.metadata.kind else { return nil }
        var result = ProbeResult(
            target: entry.key.target, kind: kind, ipFamily: entry.key.family, scheduledAt: scheduledAt,
            startedAt: startedAt, failure: failure, code: code.map { Int($0) },
            duration: .microseconds(Int64(latencyMicros)), phases: phaseTimings)
        // A failure code from a newer build has no reason here, but the outcome stays.
        result.success = success
        return result
    }
}
