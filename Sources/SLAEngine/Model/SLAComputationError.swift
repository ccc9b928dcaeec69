import WatchCore

/// Why a computation could not run.
public enum SLAComputationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The timezone name is not in this system's timezone database.
    case unknownTimeZone(String)
    /// The period ends at or before its start.
    case emptyPeriod(from: Timestamp, to: Timestamp)
    /// A store could not be read.
    case store(path: String, detail: String)
    /// Two stores hold the same target series (same target, vantage name and family).
    case duplicateSeries(SeriesKey, firstStore: String, secondStore: String)

    /// A message for people.
    public var description: String {
        switch self {
        case .unknownTimeZone(let name): "unknown timezone \"\(name)\"; use an IANA name like Asia/Ho_Chi_Minh"
        case .emptyPeriod(let from, let to): "the period \(from) – \(to) is empty; --to must be after --from"
        case .store(let path, let detail): "\(path): \(detail)"
        case .duplicateSeries(let key, let first, let second):
            "the series \(key) is in both \(first) and \(second): each store must come from its own vantage "
                + "(a distinct vantage.id), or from disjoint --shard shares of one; give each store once"
        }
    }
}
