import SLAEngine
import WatchCore

/// The live state of one target unit (a target over one IP family, as in the SLA engine): the probes
/// of its slices still open, per vantage, and the hysteresis and flapping state over its closed
/// slices.
struct TargetUnitAlert: Sendable {
    /// What changed when a slice closed.
    struct SliceOutcome {
        var state: SliceState
        var transition: IncidentHysteresis.Transition?
        var flappingChanged = false
        var downVantages: [String] = []
        var reportingVantages = 0
        /// The slice's probes over its healthy vantages, for the degradation rules.
        var measure = DegradationWindow.SliceMeasure()
    }

    private struct Tally {
        var probes: UInt16 = 0
        var failures: UInt16 = 0
        var latency = LatencySketch()
    }

    let provider: String
    let service: String
    let target: TargetID
    let family: IPFamily
    let region: String
    let kind: ProbeKind
    var hysteresis: IncidentHysteresis
    var flapping: FlappingWindow
    /// One window per degradation rule that applies to this unit.
    var degradations: [DegradationWindow]
    /// A firing notification went out for the open incident (not while inhibited or flapping-held).
    var announced = false
    /// It fired at least once (so ``AlertPhase/resolved`` can be told from inactive).
    var everFired = false
    private var openSlices: [Int: [String: Tally]] = [:]

    init(target: Target, family: IPFamily, rules: AlertRules) {
        provider = target.provider
        service = target.service
        self.target = target.id
        self.family = family
        region = target.region ?? ""
        kind = target.spec.kind
        degradations = rules.degradations.filter { $0.applies(service: target.service, kind: target.spec.kind) }
            .map { DegradationWindow(rule: $0, sliceMillis: rules.accounting.sliceMillis) }
        hysteresis = IncidentHysteresis(rule: rules.accounting.incident)
        flapping = FlappingWindow(rule: rules.accounting.flapping, clearBelow: rules.flappingClearBelow)
    }

    /// Counts a probe from `vantage` in `slice`, and its latency when it succeeded.
    mutating func record(vantage: String, slice: Int, success: Bool, latency: Duration) {
        var tally = openSlices[slice, default: [:]][vantage, default: Tally()]
        tally.probes = tally.probes == .max ? .max : tally.probes + 1
        if !success { tally.failures = tally.failures == .max ? .max : tally.failures + 1 }
        if success, !degradations.isEmpty { tally.latency.add(Double(latency.nanoseconds) / 1_000) }
        openSlices[slice, default: [:]][vantage] = tally
    }

    /// Forgets slices before `slice` without judging them (a clock jump longer than the catch-up).
    mutating func drop(before slice: Int) {
        openSlices = openSlices.filter { $0.key >= slice }
    }

    /// Judges `slice`: each vantage's state by the slice rule (UNKNOWN when it was unhealthy during the
    /// slice), the quorum over them, MAINTENANCE when a window covers it, then the hysteresis.
    mutating func close(
        slice: Int, rules: AccountingRules, inMaintenance: Bool, unhealthy: (String) -> Bool
    ) -> SliceOutcome {
        let tallies = openSlices.removeValue(forKey: slice) ?? [:]
        var reporting = 0
        var down: [String] = []
        var measure = DegradationWindow.SliceMeasure()
        for (vantage, tally) in tallies where !unhealthy(vantage) {
            measure.probes += Int(tally.probes)
            measure.failures += Int(tally.failures)
            measure.latency.merge(tally.latency)
            switch rules.slice.state(probes: tally.probes, failures: tally.failures) {
            case .down: reporting += 1; down.append(vantage)
            case .up: reporting += 1
            case .unknown, .maintenance: break
            }
        }
        let measured = rules.quorum.state(reporting: reporting, down: down.count)
        let state = inMaintenance ? SliceState.maintenance : measured
        let flappingChanged = flapping.feed(state)
        let transition = hysteresis.feed(state, slice: slice, holdOpen: flapping.isFlapping)
        return SliceOutcome(
            state: state, transition: transition, flappingChanged: flappingChanged,
            downVantages: down.sorted(), reportingVantages: reporting, measure: measure
        )
    }

    /// Where the target-down alert is.
    var phase: AlertPhase {
        let live = hysteresis.phase
        return live == .inactive && everFired ? .resolved : live
    }
}
