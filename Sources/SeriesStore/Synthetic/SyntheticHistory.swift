#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WatchCore

/// Generates realistic, reproducible probe history for tests and benchmarks: per-target lognormal
/// latencies with a diurnal swing, scheduler jitter of a few ms, rare bursty outages, and incidents
/// that hit every target of one provider at once.
public struct SyntheticHistory: Sendable {
    /// What to generate.
    public struct Configuration: Sendable {
        /// How many targets (one series each, IPv4, one vantage).
        public var targets: Int
        /// The first scheduled slot, ms since the epoch.
        public var startMillis: Int64
        /// How many probes each target gets.
        public var slotsPerTarget: Int
        /// Milliseconds between two probes of a target.
        public var intervalMillis: Int64 = 30_000
        /// The seed of every random choice.
        public var seed: UInt64 = 1
        /// Whether HTTP targets carry connect/tls/processing/transfer phases and DNS targets a request phase.
        public var includesPhases: Bool = true
        /// How many providers the targets are spread over (correlated incidents hit one provider).
        public var providers: Int = 8

        /// Creates a configuration.
        public init(targets: Int, startMillis: Int64, slotsPerTarget: Int) {
            self.targets = targets
            self.startMillis = startMillis
            self.slotsPerTarget = slotsPerTarget
        }
    }

    /// The configuration.
    public let configuration: Configuration

    /// Creates a generator.
    public init(_ configuration: Configuration) { self.configuration = configuration }

    /// The series of the generated targets, in target order.
    public func series() -> [(key: SeriesKey, metadata: SeriesMetadata)] {
        (0..<configuration.targets).map { index in
            let provider = "provider-\(index % max(configuration.providers, 1))"
            let kind: ProbeKind = index % 2 == 0 ? .dns : .http
            return (SeriesKey(target: TargetID("target-\(index)"), vantage: "vantage-1", family: .v4),
                    SeriesMetadata(provider: provider, service: kind == .dns ? "dns" : "portal", kind: kind,
                                   region: "region-\(index % 3)"))
        }
    }

    private struct TargetModel {
        var medianMicros: Double
        var sigma: Double
        var kind: ProbeKind
        var provider: Int
        var outageLeft = 0
        var outageReason: FailureReason = .tcpTimeout
    }

    /// Calls `body` with every result, slot by slot (all targets of a slot, then the next slot), as
    /// a scheduler would append them. `seriesIDs[i]` is the id of target `i`.
    public func forEachResult(seriesIDs: [SeriesID], _ body: (StoredResult) throws -> Void) rethrows {
        precondition(seriesIDs.count == configuration.targets, "one series id per target")
        var random = SplitMix64(seed: configuration.seed)
        var models: [TargetModel] = (0..<configuration.targets).map { index in
            let kind: ProbeKind = index % 2 == 0 ? .dns : .http
            let lowMedian = kind == .dns ? 2_000.0 : 20_000.0
            let highMedian = kind == .dns ? 40_000.0 : 250_000.0
            let median = lowMedian * pow(highMedian / lowMedian, random.unit())
            return TargetModel(medianMicros: median, sigma: 0.15 + 0.35 * random.unit(), kind: kind,
                               provider: index % max(configuration.providers, 1))
        }
        var providerIncidentLeft = [Int](repeating: 0, count: max(configuration.providers, 1))
        let dayMillis = 86_400_000.0
        for slot in 0..<configuration.slotsPerTarget {
            let scheduled = configuration.startMillis + Int64(slot) * configuration.intervalMillis
            for provider in providerIncidentLeft.indices {
                if providerIncidentLeft[provider] > 0 {
                    providerIncidentLeft[provider] -= 1
                } else if random.unit() < 1.0 / 200_000 {
                    providerIncidentLeft[provider] = 5 + Int(random.unit() * 60)
                }
            }
            let phase = sin(2 * Double.pi * Double(scheduled) / dayMillis)
            let diurnal = 1 + 0.25 * phase
            for index in 0..<configuration.targets {
                var model = models[index]
                if model.outageLeft == 0, random.unit() < 1.0 / 20_000 {
                    model.outageLeft = 1 + Int(random.unit() * random.unit() * 40)
                    model.outageReason = Self.outageReasons(model.kind)[Int(random.unit() * 3)]
                }
                let inIncident = providerIncidentLeft[model.provider] > 0
                let lateness = Int64(-log(max(random.unit(), 1e-12)) * 2.5)
                var latency = UInt32(min(model.medianMicros * diurnal * exp(model.sigma * random.normal()), 4e9))
                var result: StoredResult
                if model.outageLeft > 0 || inIncident || random.unit() < 1.0 / 5_000 {
                    let reason = inIncident ? Self.outageReasons(model.kind)[0] : model.outageReason
                    if model.outageLeft > 0 { model.outageLeft -= 1 }
                    let timedOut = [.dnsTimeout, .tcpTimeout, .httpTimeout].contains(reason)
                    if timedOut { latency = 5_000_000 + UInt32(random.unit() * 2_000) }
                    let code: Int32? = switch reason {
                    case .dnsServfail: 2
                    case .httpStatus: 503
                    default: nil
                    }
                    result = StoredResult(series: seriesIDs[index], scheduledMillis: scheduled,
                                          startMillis: scheduled + lateness, success: false, failure: reason,
                                          code: code, latencyMicros: latency)
                } else {
                    result = StoredResult(series: seriesIDs[index], scheduledMillis: scheduled,
                                          startMillis: scheduled + lateness, success: true, failure: nil,
                                          code: model.kind == .dns ? 0 : 200, latencyMicros: latency)
                    if configuration.includesPhases { result.phases = Self.phases(model.kind, latency, &random) }
                }
                models[index] = model
                try body(result)
            }
        }
    }

    private static func outageReasons(_ kind: ProbeKind) -> [FailureReason] {
        kind == .dns ? [.dnsTimeout, .dnsServfail, .networkUnreachable] : [.tcpTimeout, .httpStatus, .tlsHandshake]
    }

    /// Splits a latency into phases the way the probers measure them.
    private static func phases(_ kind: ProbeKind, _ latency: UInt32, _ random: inout SplitMix64) -> StoredPhases {
        var phases = StoredPhases()
        if kind == .dns {
            phases[.request] = latency - min(latency, UInt32(20 + random.unit() * 60))
            return phases
        }
        let total = Double(latency)
        let connect = total * (0.12 + 0.03 * random.unit())
        let tls = connect * 2
        let transfer = total * 0.05 * random.unit()
        phases[.connect] = UInt32(connect)
        phases[.tls] = UInt32(tls)
        phases[.transfer] = UInt32(transfer)
        phases[.processing] = UInt32(max(0, total - connect - tls - transfer))
        return phases
    }
}

/// A small, fast, seeded generator (SplitMix64), so that generated history is reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal value (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(unit(), 1e-300)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * unit())
    }
}
