import WatchCore

/// The probes of one unit's last slices, for one ``DegradationRule``: a ring of per-slice counts
/// and latency sketches, judged at each slice.
struct DegradationWindow: Sendable {
    /// One slice's measurements over the unit's healthy vantages.
    struct SliceMeasure: Sendable {
        var probes = 0
        var failures = 0
        /// Total latency of successful probes, µs.
        var latency = LatencySketch()
    }

    /// A change of the alert.
    enum Transition {
        case fired(value: Double)
        case resolved(value: Double)
    }

    let rule: DegradationRule
    private var slices: [SliceMeasure]
    private var next = 0
    private(set) var firing = false
    private(set) var lastValue: Double?

    init(rule: DegradationRule, sliceMillis: Int64) {
        self.rule = rule
        let count = Swift.max(1, Int((rule.window.nanoseconds / 1_000_000 + sliceMillis - 1) / sliceMillis))
        slices = Array(repeating: SliceMeasure(), count: count)
    }

    /// Adds the slice that just closed and judges the window.
    mutating func feed(_ measure: SliceMeasure) -> Transition? {
        slices[next] = measure
        next = (next + 1) % slices.count
        guard let value = windowValue() else { return nil }
        lastValue = value
        let breached: Bool
        switch rule.condition {
        case .latencyAbove(_, let threshold): breached = value > Double(threshold.nanoseconds) / 1_000
        case .failureRateAbove(let share): breached = value > share
        }
        if breached, !firing {
            firing = true
            return .fired(value: value)
        }
        if !breached, firing {
            firing = false
            return .resolved(value: value)
        }
        return nil
    }

    /// The window's figure (µs for latency, a share for failures), or `nil` with too few probes.
    private func windowValue() -> Double? {
        switch rule.condition {
        case .latencyAbove(let quantile, _):
            var merged = LatencySketch()
            for slice in slices { merged.merge(slice.latency) }
            guard merged.count >= UInt64(rule.minimumProbes) else { return nil }
            return merged.quantile(quantile)
        case .failureRateAbove:
            let probes = slices.reduce(0) { $0 + $1.probes }
            guard probes >= rule.minimumProbes, probes > 0 else { return nil }
            return Double(slices.reduce(0) { $0 + $1.failures }) / Double(probes)
        }
    }
}
