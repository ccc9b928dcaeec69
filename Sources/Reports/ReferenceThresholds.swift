/// The regulatory limits a report compares its figures against, and the source that sets them.
public struct ReferenceThresholds: Sendable, Hashable {
    /// The regulation, e.g. `QCVN 34:2019/BTTTT`.
    public var source: String
    /// Minimum service availability, as a fraction.
    public var availability: Double
    /// Maximum mean latency, in milliseconds.
    public var meanLatencyMilliseconds: Double

    /// Custom limits.
    public init(source: String, availability: Double, meanLatencyMilliseconds: Double) {
        self.source = source
        self.availability = availability
        self.meanLatencyMilliseconds = meanLatencyMilliseconds
    }

    /// Vietnam's fixed-broadband regulation (TT 08/2019/TT-BTTTT): service availability ≥ 99.5 %,
    /// mean latency ≤ 50 ms.
    public static let qcvn34 = ReferenceThresholds(
        source: "QCVN 34:2019/BTTTT", availability: 0.995, meanLatencyMilliseconds: 50)
}
