import WatchCore

/// How one series is scheduled: its identity, the provider it counts against, and its two intervals.
public struct SeriesSchedule: Sendable, Hashable {
    /// The series probed.
    public var series: SeriesKey
    /// The provider whose in-flight and rate limits the series' probes count against.
    public var provider: String
    /// The normal interval between probes; slots are `k·interval + offset` on the epoch.
    public var interval: Duration
    /// The interval between probes while the series' last result failed, to pin down an outage's
    /// start and end; never longer than ``interval``.
    public var failingInterval: Duration
    /// The caller's own number for the series, handed back on each of its ``ScheduledProbe``s so the
    /// caller finds its record without hashing the key (the daemon passes the store's series id).
    public var tag: UInt32

    /// Creates a schedule.
    ///
    /// - Parameters:
    ///   - failingInterval: the re-probe interval while failing; defaults to
    ///     ``defaultFailingInterval(for:)``. It is clamped to `[1 s, interval]`.
    ///   - tag: the caller's number for the series, returned with its probes.
    public init(
        series: SeriesKey, provider: String, interval: Duration, failingInterval: Duration? = nil, tag: UInt32 = 0
    ) {
        self.series = series
        self.tag = tag
        self.provider = provider
        self.interval = interval
        let wanted = failingInterval ?? Self.defaultFailingInterval(for: interval)
        self.failingInterval = min(max(wanted, Self.minimumFailingInterval), max(interval, .nanoseconds(1)))
    }

    /// Faster re-probes never come more often than this, whatever the configuration says.
    public static let minimumFailingInterval: Duration = .seconds(1)

    /// A quarter of the interval, but at least ``minimumFailingInterval``.
    public static func defaultFailingInterval(for interval: Duration) -> Duration {
        max(interval / 4, minimumFailingInterval)
    }
}

extension Target {
    /// The schedules of this target's series from one vantage: one per IP family.
    ///
    /// - Parameter failingInterval: the re-probe interval while failing; `nil` for the default.
    public func seriesSchedules(vantage: String, failingInterval: Duration? = nil) -> [SeriesSchedule] {
        seriesKeys(vantage: vantage).map {
            SeriesSchedule(series: $0, provider: provider, interval: interval, failingInterval: failingInterval)
        }
    }
}

extension Configuration {
    /// The schedules of every series this configuration produces from its vantage, for
    /// ``ProbeScheduler/apply(_:limits:at:)``.
    ///
    /// - Parameter failingInterval: the re-probe interval while failing; `nil` for the default.
    public func seriesSchedules(failingInterval: Duration? = nil) -> [SeriesSchedule] {
        let vantageID = vantage?.id ?? Vantage.unnamedID
        return targets.flatMap { $0.seriesSchedules(vantage: vantageID, failingInterval: failingInterval) }
    }
}
