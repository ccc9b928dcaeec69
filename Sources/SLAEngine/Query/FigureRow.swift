import WatchCore

/// The figures of one group in one time bucket.
public struct FigureRow: Sendable {
    /// The group's name (a target id, provider, … as grouped).
    public var group: String
    /// The bucket's start (ms), `nil` for a whole-range row.
    public var bucketStartMillis: Int64?
    /// Results that started in the bucket.
    public var results = 0
    /// UP slices (summed over the group's series).
    public var upSlices = 0
    /// DOWN slices.
    public var downSlices = 0
    /// UNKNOWN slices (no probe).
    public var unknownSlices = 0
    /// Latencies of the successful probes, µs.
    public var latency = LatencySketch()

    /// Creates an empty row.
    public init(group: String, bucketStartMillis: Int64?) {
        self.group = group
        self.bucketStartMillis = bucketStartMillis
    }

    /// Successful results.
    public var successes: Int { Int(latency.count) }
    /// UP slices / known slices; `nil` when no slice is known.
    public var availability: Double? {
        upSlices + downSlices == 0 ? nil : Double(upSlices) / Double(upSlices + downSlices)
    }
    /// Known slices / all slices.
    public var coverage: Double? {
        let all = upSlices + downSlices + unknownSlices
        return all == 0 ? nil : Double(upSlices + downSlices) / Double(all)
    }
    /// The latency quantile `q` of successful probes (µs, within 1 %), `nil` without one.
    public func latencyQuantile(_ q: Double) -> Double? { latency.quantile(q) }

    mutating func add(_ other: FigureRow) {
        results += other.results
        upSlices += other.upSlices
        downSlices += other.downSlices
        unknownSlices += other.unknownSlices
        latency.merge(other.latency)
    }
}

/// One incident of one series: K consecutive DOWN slices opened it, M consecutive UP slices
/// closed it (or it is still open at the end of the range).
public struct IncidentRecord: Sendable, Hashable {
    /// The series' target.
    public var target: String
    /// The series' vantage.
    public var vantage: String
    /// The series' IP family.
    public var family: IPFamily
    /// Start of the first DOWN slice, ms.
    public var startMillis: Int64
    /// Start of the first UP slice of the closing run, ms; `nil` while open at the range's end.
    public var endMillis: Int64?

    /// Creates a record.
    public init(target: String, vantage: String, family: IPFamily, startMillis: Int64, endMillis: Int64?) {
        self.target = target
        self.vantage = vantage
        self.family = family
        self.startMillis = startMillis
        self.endMillis = endMillis
    }
}

/// A query's answer and how it was computed.
public struct FigureAnswer: Sendable {
    /// Rows by group, then bucket (whole-range rows after a group's buckets).
    public var rows: [FigureRow]
    /// Incidents by target, vantage, family, start (when asked for).
    public var incidents: [IncidentRecord]
    /// What was read, per store.
    public var scan: StoreScanReport
}
