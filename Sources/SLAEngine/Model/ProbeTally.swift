import SeriesStore
import WatchCore

/// The measurements of a set of probes that accounting reports beside availability: latency
/// sketches of the successful ones (total and per phase), failures by reason, DNS failures by
/// rcode and timeout, HTTP statuses. Tallies merge exactly, so groups add up their series' tallies.
public struct ProbeTally: Sendable, Equatable {
    /// Probes counted.
    public var probes = 0
    /// Failed probes among them.
    public var failures = 0
    /// Total latency of the successful probes, µs.
    public var latency = LatencySketch()
    /// Latency of each phase measured in successful probes, µs (the phases never measured are absent).
    public var phases: [Phase: LatencySketch] {
        var phases: [Phase: LatencySketch] = [:]
        for (code, sketch) in phaseSketches.enumerated() where !sketch.isEmpty {
            if let phase = StoredPhases.phase(forCode: code) { phases[phase] = sketch }
        }
        return phases
    }
    /// One sketch per stored phase code: an array, not a dictionary, since this is on the path of
    /// every successful probe.
    private var phaseSketches = [LatencySketch](repeating: LatencySketch(), count: StoredPhases.phaseCount)
    /// Failed probes by failure reason (its stable name; `code_N` for a stored code this build does
    /// not know, `unspecified` for a failure without a reason).
    public var failureReasons: [String: Int] = [:]
    /// DNS probes counted.
    public var dnsProbes = 0
    /// Failed DNS probes.
    public var dnsFailures = 0
    /// Failed DNS probes that got no answer in time (`dns_timeout`).
    public var dnsTimeouts = 0
    /// Failed DNS probes that got an answer, by its rcode (0 NOERROR: answered, but not as expected).
    public var dnsFailureRcodes: [Int32: Int] = [:]
    /// HTTP probes that got a response, by status (successful and failed).
    public var httpStatuses: [Int32: Int] = [:]

    /// Creates an empty tally.
    public init() {}

    /// Counts one stored result of a series of `kind`.
    public mutating func add(_ result: StoredResult, kind: ProbeKind?) {
        probes += 1
        if kind == .dns { dnsProbes += 1 }
        if kind == .http, let status = result.code { httpStatuses[status, default: 0] += 1 }
        if result.success {
            latency.add(Double(result.latencyMicros))
            let presence = result.phases.presence
            if presence != 0 {
                for code in 0..<StoredPhases.phaseCount where presence & (1 << code) != 0 {
                    if let value = result.phases[code: code] { phaseSketches[code].add(Double(value)) }
                }
            }
            return
        }
        failures += 1
        failureReasons[Self.reasonName(result), default: 0] += 1
        if kind == .dns {
            dnsFailures += 1
            if result.failure == .dnsTimeout {
                dnsTimeouts += 1
            } else if let rcode = result.code {
                dnsFailureRcodes[rcode, default: 0] += 1
            }
        }
    }

    /// Adds every count and sketch of `other`.
    public mutating func merge(_ other: ProbeTally) {
        probes += other.probes
        failures += other.failures
        latency.merge(other.latency)
        for code in phaseSketches.indices { phaseSketches[code].merge(other.phaseSketches[code]) }
        failureReasons.merge(other.failureReasons, uniquingKeysWith: +)
        dnsProbes += other.dnsProbes
        dnsFailures += other.dnsFailures
        dnsTimeouts += other.dnsTimeouts
        dnsFailureRcodes.merge(other.dnsFailureRcodes, uniquingKeysWith: +)
        httpStatuses.merge(other.httpStatuses, uniquingKeysWith: +)
    }

    /// The name a failure is tallied under.
    static func reasonName(_ result: StoredResult) -> String {
        if let reason = result.failure { return reason.rawValue }
        return result.failureCode == 0 ? "unspecified" : "code_\(result.failureCode)"
    }
}
