import WatchCore

/// How many probes of one series failed, per reason.
///
/// A series meets few of the thirty-odd reasons in its life (a DNS resolver: timeouts, SERVFAIL),
/// so a short list searched linearly is smaller and faster than a dictionary or a slot per reason,
/// and the counters appear in the order the reasons were first seen.
struct FailureCounts: Sendable {
    private(set) var entries: [(reason: FailureReason, count: UInt64)] = []

    mutating func increment(_ reason: FailureReason) {
        for index in entries.indices where entries[index].reason == reason {
            entries[index].count += 1
            return
        }
        entries.append((reason, 1))
    }

    /// The number of failures for `reason`.
    func count(of reason: FailureReason) -> UInt64 {
        entries.first { $0.reason == reason }?.count ?? 0
    }
}
