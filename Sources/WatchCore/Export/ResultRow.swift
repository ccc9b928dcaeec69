/// One probe result as a flat row of the export/import formats (`ispwatch export`, `ispwatch import`):
/// the stored fields plus the series' identity and metadata, at the store's resolutions (times in
/// ms since the epoch, durations in µs).
public struct ResultRow: Sendable, Hashable {
    /// When the probe started, in ms since the epoch.
    public var startMillis: Int64
    /// When it was meant to start, in ms since the epoch; `nil` for an unscheduled probe.
    public var scheduledMillis: Int64?
    /// The target probed.
    public var target: TargetID
    /// The provider operating the target (may be empty).
    public var provider: String
    /// The vantage that probed it.
    public var vantage: String
    /// The IP family used.
    public var family: IPFamily
    /// The kind of probe, when known.
    public var kind: ProbeKind?
    /// Whether the target passed every check.
    public var success: Bool
    /// Why it failed, when it did and the reason is known.
    public var failure: FailureReason?
    /// The DNS rcode or HTTP status, when the target answered.
    public var code: Int32?
    /// Total latency in µs.
    public var latencyMicros: UInt32
    /// Each phase's duration in µs, indexed like `Phase.allCases`; `nil` when not measured.
    public var phaseMicros: [UInt32?]

    /// Creates a row; `phaseMicros` defaults to no phase measured.
    public init(
        startMillis: Int64, scheduledMillis: Int64?, target: TargetID, provider: String, vantage: String,
        family: IPFamily, kind: ProbeKind?, success: Bool, failure: FailureReason?, code: Int32?,
        latencyMicros: UInt32, phaseMicros: [UInt32?] = Array(repeating: nil, count: Phase.allCases.count)
    ) {
        precondition(phaseMicros.count == Phase.allCases.count, "one entry per Phase.allCases")
        self.startMillis = startMillis
        self.scheduledMillis = scheduledMillis
        self.target = target
        self.provider = provider
        self.vantage = vantage
        self.family = family
        self.kind = kind
        self.success = success
        self.failure = failure
        self.code = code
        self.latencyMicros = latencyMicros
        self.phaseMicros = phaseMicros
    }

    /// The row's series: target, vantage and IP family.
    public var series: SeriesKey { SeriesKey(target: target, vantage: vantage, family: family) }

    /// Export order: start time, then series, so that an export does not depend on how the store
    /// happened to lay results out.
    public static func exportOrder(_ lhs: ResultRow, _ rhs: ResultRow) -> Bool {
        if lhs.startMillis != rhs.startMillis { return lhs.startMillis < rhs.startMillis }
        return lhs.series < rhs.series
    }
}

extension Timestamp {
    /// A timestamp at a whole millisecond since the epoch.
    public init(millisecondsSinceEpoch millis: Int64) {
        self.init(nanosecondsSinceEpoch: millis * 1_000_000)
    }

    /// Milliseconds since the epoch, rounded down (towards the past).
    public var millisecondsSinceEpoch: Int64 {
        let nanos = nanosecondsSinceEpoch
        return nanos >= 0 ? nanos / 1_000_000 : (nanos - 999_999) / 1_000_000
    }
}
