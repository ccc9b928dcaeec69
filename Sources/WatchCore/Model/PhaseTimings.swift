/// A step of a probe that is timed on its own.
///
/// The names follow blackbox_exporter's `phase` label so that existing dashboards keep working.
public enum Phase: String, Sendable, Hashable, Codable, CaseIterable {
    /// Resolving the target's host name to an address.
    case resolve
    /// The TCP handshake (or, for UDP DNS, opening the socket).
    case connect
    /// The TLS handshake.
    case tls
    /// From the request sent to the first byte of the response (server think time).
    case processing
    /// From the first byte of the response to the last.
    case transfer
    /// A DNS question sent until its matching answer arrived.
    case request
    /// An ICMP echo's round trip (the mean over the replies received).
    case rtt
}

/// The time each measured phase of one probe took. A phase the prober did not measure is `nil`,
/// which is different from a phase that took zero time.
public struct PhaseTimings: Sendable, Hashable, Codable {
    public var resolve: Duration?
    public var connect: Duration?
    public var tls: Duration?
    public var processing: Duration?
    public var transfer: Duration?
    public var request: Duration?
    public var rtt: Duration?

    /// Creates timings with every phase unmeasured.
    public init() {}

    /// The duration of `phase`, or `nil` when it was not measured.
    public subscript(phase: Phase) -> Duration? {
        get {
            switch phase {
            case .resolve: resolve
            case .connect: connect
            case .tls: tls
            case .processing: processing
            case .transfer: transfer
            case .request: request
            case .rtt: rtt
            }
        }
        set {
            switch phase {
            case .resolve: resolve = newValue
            case .connect: connect = newValue
            case .tls: tls = newValue
            case .processing: processing = newValue
            case .transfer: transfer = newValue
            case .request: request = newValue
            case .rtt: rtt = newValue
            }
        }
    }

    /// The measured phases in protocol order, with their durations.
    public var measured: [(phase: Phase, duration: Duration)] {
        Phase.allCases.compactMap { phase in self[phase].map { (phase, $0) } }
    }
}
