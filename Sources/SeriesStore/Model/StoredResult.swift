import WatchCore

/// The number of a series in one store, assigned by its series index.
public typealias SeriesID = UInt32

/// One probe result as the store keeps it: what SLA accounting needs, at fixed resolutions
/// (times in milliseconds since the Unix epoch, durations in microseconds), and nothing unbounded.
public struct StoredResult: Sendable, Hashable {
    /// The series (target × vantage × IP family) from the series index.
    public var series: SeriesID
    /// When the probe was meant to start, in ms since the epoch; `nil` for an unscheduled probe.
    public var scheduledMillis: Int64?
    /// When the probe started, in ms since the epoch.
    public var startMillis: Int64
    /// Whether the target passed every check.
    public var success: Bool
    /// The stored failure code (see ``StoredFailureCode``); 0 when none. Kept raw so that a code
    /// written by a newer build survives a round trip through an older one.
    public var failureCode: UInt8
    /// The DNS rcode or HTTP status, when the target answered.
    public var code: Int32?
    /// Total latency of the probe in µs.
    public var latencyMicros: UInt32
    /// Each measured phase, in µs.
    public var phases: StoredPhases

    /// Creates a stored result.
    public init(
        series: SeriesID, scheduledMillis: Int64?, startMillis: Int64, success: Bool,
        failure: FailureReason?, code: Int32?, latencyMicros: UInt32, phases: StoredPhases = StoredPhases()
    ) {
        self.series = series
        self.scheduledMillis = scheduledMillis
        self.startMillis = startMillis
        self.success = success
        self.failureCode = StoredFailureCode.code(of: failure)
        self.code = code
        self.latencyMicros = latencyMicros
        self.phases = phases
    }

    /// The failure reason, when the code is one this build knows.
    public var failure: FailureReason? {
        get { StoredFailureCode.reason(forCode: failureCode) }
        set { failureCode = StoredFailureCode.code(of: newValue) }
    }

    /// How late the probe started against its schedule, in ms (`nil` when unscheduled).
    public var latenessMillis: Int64? { scheduledMillis.map { startMillis - $0 } }

    /// Converts a probe result, truncating times to ms and durations to µs (saturating at
    /// `UInt32.max` µs, 71 minutes).
    public init(_ result: ProbeResult, series: SeriesID) {
        func micros(_ duration: Duration) -> UInt32 {
            let value = duration.nanoseconds / 1_000
            return value <= 0 ? 0 : UInt32(clamping: value)
        }
        func millis(_ timestamp: Timestamp) -> Int64 {
            let nanos = timestamp.nanosecondsSinceEpoch
            return nanos >= 0 ? nanos / 1_000_000 : (nanos - 999_999) / 1_000_000
        }
        var phases = StoredPhases()
        for (phase, duration) in result.phases.measured { phases[phase] = micros(duration) }
        self.init(
            series: series, scheduledMillis: result.scheduledAt.map(millis), startMillis: millis(result.startedAt),
            success: result.success, failure: result.failure, code: result.code.map { Int32(clamping: $0) },
            latencyMicros: micros(result.duration), phases: phases
        )
    }

    /// The phase timings as the domain model's durations.
    public var phaseTimings: PhaseTimings {
        var timings = PhaseTimings()
        for phase in Phase.allCases {
            if let value = phases[phase] { timings[phase] = .microseconds(Int64(value)) }
        }
        return timings
    }

    /// The start time as a timestamp.
    public var startedAt: Timestamp { Timestamp(nanosecondsSinceEpoch: startMillis * 1_000_000) }

    /// The scheduled time as a timestamp.
    public var scheduledAt: Timestamp? { scheduledMillis.map { Timestamp(nanosecondsSinceEpoch: $0 * 1_000_000) } }
}
