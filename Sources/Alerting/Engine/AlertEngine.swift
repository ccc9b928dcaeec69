import SLAEngine
import WatchCore

/// Evaluates the alert rules on live results: a value-type state machine with no clock and no I/O.
///
/// Feed it every target result, every vantage-health verdict and a tick about once a second; send
/// the notifications it returns (through an ``AlertOutbox``). Slices are the SLA engine's: a fixed
/// grid from the Unix epoch, `rules.accounting.sliceMillis` wide; a slice is judged once it ended and
/// ``AlertRules/sliceCloseDelay`` passed, by the same slice, quorum, incident and flapping rules as
/// the report.
///
/// Rules:
/// - `TargetDown` per unit (target × family): fires when the incident opens (K DOWN slices), resolves
///   when it closes (M UP slices); UNKNOWN (no probe, unhealthy vantage) and maintenance freeze it.
/// - `TargetFlapping` (info): one notice when a unit starts flapping; the `TargetDown` alert is held
///   open until flapping ends.
/// - `ProviderOutage` per provider: at least ``AlertRules/providerOutageShare`` of its units down
///   raises one page and inhibits (withholds) their `TargetDown` pages; still-open ones are sent when
///   it resolves.
/// - each ``DegradationRule`` per unit it applies to: a latency percentile or failure rate over a
///   window of slices above a threshold (warning by default).
/// - `SLOBurnRate` per watched objective and window pair (``BurnRateObjective``): multi-window,
///   multi-burn-rate over the pooled unit-slices of the objective's units.
/// - `VantageUnhealthy` per vantage: unhealthy for ``AlertRules/vantageUnhealthyFor`` pages the
///   platform (``AlertRules/platformLabels``) and carries no provider label.
public struct AlertEngine: Sendable {
    private struct UnitID: Hashable, Sendable {
        var target: TargetID
        var family: IPFamily
    }

    private struct ProviderState: Sendable {
        var units = 0
        var firing: AlertNotification?
    }

    private struct VantageState: Sendable {
        var unhealthySince: Timestamp?
        var firing: AlertNotification?
    }

    private struct Announced: Sendable {
        var notification: AlertNotification
        var lastSent: Timestamp
    }

    /// The rules.
    public let rules: AlertRules
    private var units: [UnitID: TargetUnitAlert] = [:]
    private var providers: [String: ProviderState] = [:]
    private var vantages: [String: VantageState] = [:]
    private var health = VantageHealthLedger()
    private var maintenance: MaintenanceCalendar
    private var announced: [AlertKey: Announced] = [:]
    private var nextSliceToClose: Int?
    private var burnRates: [BurnRateWindow]
    /// Results that arrived after their slice was judged, and were dropped.
    public private(set) var lateResults = 0

    /// The most slices judged in one tick after a pause; older ones are forgotten (UNKNOWN).
    static let maximumCatchUpSlices = 60

    /// Creates an engine for the configured `targets` (they give each provider's number of units)
    /// and maintenance `windows`.
    public init(rules: AlertRules = AlertRules(), targets: [Target] = [], maintenance windows: [MaintenanceWindow] = []) {
        self.rules = rules
        maintenance = MaintenanceCalendar(windows: windows)
        burnRates = rules.burnRates.map { BurnRateWindow(watched: $0, sliceMillis: rules.accounting.sliceMillis) }
        updateConfiguration(targets: targets, maintenance: windows)
    }

    /// Takes a reloaded configuration: provider sizes and maintenance windows. Units of removed
    /// targets stay until restart (their alerts resolve only by data).
    public mutating func updateConfiguration(targets: [Target], maintenance windows: [MaintenanceWindow]) {
        maintenance = MaintenanceCalendar(windows: windows)
        for provider in providers.keys { providers[provider]?.units = 0 }
        for target in targets {
            providers[target.provider, default: ProviderState()].units += target.ipFamilies.families.count
        }
    }

    /// Handles one event and returns the notifications to send, in order.
    public mutating func handle(_ event: AlertEvent) -> [AlertNotification] {
        switch event {
        case .probeResult(let result, let series, let target):
            record(result, series: series, target: target)
            return []
        case .vantageHealth(let vantage, let healthy, let at):
            health.record(vantage: vantage, healthy: healthy, at: at)
            return evaluateVantage(vantage, healthy: healthy, at: at)
        case .tick(let now):
            var out = closeSlices(now: now)
            for vantage in vantages.keys.sorted() where vantages[vantage]?.unhealthySince != nil {
                out += evaluateVantage(vantage, healthy: false, at: now)
            }
            out += resendDue(now: now)
            return out
        case .configurationChanged(let targets, let maintenance):
            updateConfiguration(targets: targets, maintenance: maintenance)
            return []
        }
    }

    // MARK: - Queries

    /// Every alert firing now whose notification went out, by key.
    public var firingAlerts: [AlertNotification] {
        announced.values.map(\.notification).sorted { $0.key < $1.key }
    }

    /// The phase of a unit's `TargetDown` alert.
    public func targetDownPhase(target: TargetID, family: IPFamily) -> AlertPhase {
        units[UnitID(target: target, family: family)]?.phase ?? .inactive
    }

    /// Whether a unit is flapping.
    public func isFlapping(target: TargetID, family: IPFamily) -> Bool {
        units[UnitID(target: target, family: family)]?.flapping.isFlapping ?? false
    }

    // MARK: - Results

    private var sliceMillis: Int64 { rules.accounting.sliceMillis }

    private func slice(of time: Timestamp) -> Int {
        let millis = time.nanosecondsSinceEpoch / 1_000_000
        return Int(millis >= 0 ? millis / sliceMillis : (millis - sliceMillis + 1) / sliceMillis)
    }

    private func start(ofSlice slice: Int) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: Int64(slice) * sliceMillis * 1_000_000)
    }

    private mutating func record(_ result: ProbeResult, series: SeriesKey, target: Target) {
        // A prober fault says nothing about the target (docs/SLA.md section 1).
        if result.failure == .proberError { return }
        let slice = slice(of: result.startedAt)
        if nextSliceToClose == nil { nextSliceToClose = slice }
        guard let first = nextSliceToClose, slice >= first else {
            lateResults += 1
            return
        }
        let id = UnitID(target: series.target, family: series.family)
        if units[id] == nil { units[id] = TargetUnitAlert(target: target, family: series.family, rules: rules) }
        units[id]!.record(vantage: series.vantage, slice: slice, success: result.success, latency: result.duration)
    }

    // MARK: - Slices

    private mutating func closeSlices(now: Timestamp) -> [AlertNotification] {
        let closeDelayMillis = rules.sliceCloseDelay.nanoseconds / 1_000_000
        let nowMillis = now.nanosecondsSinceEpoch / 1_000_000
        // Slices ending at or before now − delay can be judged.
        let closable = Int((nowMillis - closeDelayMillis - sliceMillis) / sliceMillis) + 1
        guard let first = nextSliceToClose else {
            nextSliceToClose = closable
            return []
        }
        guard closable > first else { return [] }
        var from = first
        if closable - first > Self.maximumCatchUpSlices {
            from = closable - Self.maximumCatchUpSlices
            for id in units.keys { units[id]!.drop(before: from) }
        }
        var out: [AlertNotification] = []
        for slice in from..<closable { out += close(slice: slice) }
        nextSliceToClose = closable
        health.prune(before: start(ofSlice: closable - 1))
        return out
    }

    private mutating func close(slice: Int) -> [AlertNotification] {
        let sliceStart = start(ofSlice: slice)
        let sliceEnd = start(ofSlice: slice + 1)
        let muted = maintenance.scopes(coveringFrom: sliceStart, to: sliceEnd)
        var opened: [UnitID] = []
        var closed: [(UnitID, Timestamp)] = []
        var out: [AlertNotification] = []
        var pooled = [(up: Int, down: Int)](repeating: (0, 0), count: burnRates.count)
        for id in units.keys.sorted(by: { ($0.target, $0.family.rawValue) < ($1.target, $1.family.rawValue) }) {
            let unit = units[id]!
            let inMaintenance = muted.contains {
                $0.covers(provider: unit.provider, service: unit.service, target: unit.target)
            }
            let outcome = units[id]!.close(
                slice: slice, rules: rules.accounting, inMaintenance: inMaintenance,
                unhealthy: { health.wasUnhealthy($0, from: sliceStart, to: sliceEnd) }
            )
            switch outcome.transition {
            case .opened: opened.append(id)
            case .closed(_, let endSlice): closed.append((id, start(ofSlice: endSlice)))
            case nil: break
            }
            if outcome.flappingChanged { out += flappingNotice(id, at: sliceEnd) }
            for index in burnRates.indices where burnRates[index].watched.covers(provider: unit.provider, service: unit.service) {
                if outcome.state == .up { pooled[index].up += 1 }
                if outcome.state == .down { pooled[index].down += 1 }
            }
            if !inMaintenance { out += evaluateDegradations(id, measure: outcome.measure, at: sliceEnd) }
        }
        for index in burnRates.indices {
            out += evaluateBurnRate(index, up: pooled[index].up, down: pooled[index].down, at: sliceEnd)
        }
        // Provider-wide outages first, so that the units they cover are withheld in the same slice.
        out += evaluateProviders(at: sliceEnd)
        for id in opened {
            units[id]!.everFired = true
            if providers[units[id]!.provider]?.firing == nil { out += announceTargetDown(id, at: sliceEnd) }
        }
        for (id, end) in closed where units[id]!.announced {
            units[id]!.announced = false
            out += resolve(targetDownKey(id), at: end)
        }
        return out
    }

    // MARK: - Target down

    private func targetDownKey(_ id: UnitID) -> AlertKey {
        let unit = units[id]!
        return AlertKey.target("TargetDown", provider: unit.provider, service: unit.service, target: unit.target, family: unit.family)
    }

    private func unitLabels(_ unit: TargetUnitAlert) -> [String: String] {
        var labels = [
            "provider": unit.provider, "service": unit.service, "target": unit.target.rawValue,
            "family": unit.family.rawValue,
        ]
        if !unit.region.isEmpty { labels["region"] = unit.region }
        return labels
    }

    private mutating func announceTargetDown(_ id: UnitID, at now: Timestamp) -> [AlertNotification] {
        let unit = units[id]!
        guard let first = unit.hysteresis.openSince else { return [] }
        units[id]!.announced = true
        let notification = AlertNotification(
            key: targetDownKey(id), status: .firing, severity: rules.targetDownSeverity, labels: unitLabels(unit),
            annotations: [
                "summary": "\(unit.target) (\(unit.family.rawValue)) of \(unit.provider) \(unit.service) is DOWN",
                "description": "\(rules.accounting.incident.openAfterDownSlices) consecutive DOWN slices since \(start(ofSlice: first))",
            ],
            startsAt: start(ofSlice: first), createdAt: now
        )
        return announce(notification, at: now)
    }

    private mutating func flappingNotice(_ id: UnitID, at now: Timestamp) -> [AlertNotification] {
        let unit = units[id]!
        let key = AlertKey.target("TargetFlapping", provider: unit.provider, service: unit.service, target: unit.target, family: unit.family)
        guard unit.flapping.isFlapping else { return resolve(key, at: now) }
        let notification = AlertNotification(
            key: key, status: .firing, severity: .info, labels: unitLabels(unit),
            annotations: [
                "summary": "\(unit.target) (\(unit.family.rawValue)) of \(unit.provider) is flapping",
                "description": "\(unit.flapping.changes) state changes in \(rules.accounting.flapping.window) slices; its TargetDown alert is held open until it settles",
            ],
            startsAt: now, createdAt: now
        )
        return announce(notification, at: now)
    }

    // MARK: - Degradation

    private mutating func evaluateDegradations(
        _ id: UnitID, measure: DegradationWindow.SliceMeasure, at now: Timestamp
    ) -> [AlertNotification] {
        var out: [AlertNotification] = []
        for index in units[id]!.degradations.indices {
            guard let transition = units[id]!.degradations[index].feed(measure) else { continue }
            let unit = units[id]!
            let rule = unit.degradations[index].rule
            let key = AlertKey.target(rule.name, provider: unit.provider, service: unit.service, target: unit.target, family: unit.family)
            switch transition {
            case .fired(let value):
                out += announce(AlertNotification(
                    key: key, status: .firing, severity: rule.severity, labels: unitLabels(unit),
                    annotations: [
                        "summary": "\(unit.target) (\(unit.family.rawValue)) of \(unit.provider) \(unit.service) is degraded",
                        "description": rule.describe(value),
                    ],
                    startsAt: now, createdAt: now
                ), at: now)
            case .resolved:
                out += resolve(key, at: now)
            }
        }
        return out
    }

    // MARK: - Burn rate

    private mutating func evaluateBurnRate(_ index: Int, up: Int, down: Int, at now: Timestamp) -> [AlertNotification] {
        let watched = burnRates[index].watched
        var out: [AlertNotification] = []
        for transition in burnRates[index].feed(up: up, down: down) {
            let pairIndex: Int
            switch transition {
            case .fired(let pair, _, _): pairIndex = pair
            case .resolved(let pair): pairIndex = pair
            }
            let pair = watched.pairs[pairIndex]
            let window = "\(Int64(pair.long.seconds.rounded()))s"
            let key = AlertKey(alertName: "SLOBurnRate", dedupKey: "\(watched.objective.provider)/\(watched.objective.id)/\(window)")
            switch transition {
            case .fired(_, let longBurn, let shortBurn):
                var labels = ["provider": watched.objective.provider, "objective": watched.objective.id, "window": window]
                if let service = watched.objective.service { labels["service"] = service }
                let threshold = pair.threshold(period: watched.period)
                out += announce(AlertNotification(
                    key: key, status: .firing, severity: pair.severity, labels: labels,
                    annotations: [
                        "summary": "\(watched.objective.id): error budget burning \(Self.oneDecimal(longBurn))× (threshold \(Self.oneDecimal(threshold))×)",
                        "description": "burn \(Self.oneDecimal(longBurn))× over \(pair.long) and \(Self.oneDecimal(shortBurn))× over \(pair.short): \(Int(pair.budgetShare * 100)) % of the budget within \(pair.long) at this pace",
                    ],
                    startsAt: now, createdAt: now
                ), at: now)
            case .resolved:
                out += resolve(key, at: now)
            }
        }
        return out
    }

    private static func oneDecimal(_ value: Double) -> String { "\((value * 10).rounded() / 10)" }

    // MARK: - Provider-wide outage

    private mutating func evaluateProviders(at now: Timestamp) -> [AlertNotification] {
        var down: [String: Int] = [:]
        for unit in units.values where unit.hysteresis.openSince != nil { down[unit.provider, default: 0] += 1 }
        var out: [AlertNotification] = []
        for provider in providers.keys.sorted() {
            let state = providers[provider]!
            let downUnits = down[provider] ?? 0
            let outage = state.units >= rules.providerOutageMinimumUnits
                && Double(downUnits) >= rules.providerOutageShare * Double(state.units)
            if outage, state.firing == nil {
                let notification = AlertNotification(
                    key: AlertKey(alertName: "ProviderOutage", dedupKey: provider), status: .firing, severity: .critical,
                    labels: ["provider": provider],
                    annotations: [
                        "summary": "\(provider): \(downUnits) of \(state.units) targets DOWN",
                        "description": "provider-wide outage; the per-target pages of \(provider) are withheld while it lasts",
                    ],
                    startsAt: now, createdAt: now
                )
                providers[provider]!.firing = notification
                out += announce(notification, at: now)
            } else if !outage, state.firing != nil {
                providers[provider]!.firing = nil
                out += resolve(AlertKey(alertName: "ProviderOutage", dedupKey: provider), at: now)
                // The targets still down are now paged on their own.
                for (id, unit) in units where unit.provider == provider && unit.hysteresis.openSince != nil && !unit.announced {
                    out += announceTargetDown(id, at: now)
                }
            }
        }
        return out
    }

    // MARK: - Vantage health

    private mutating func evaluateVantage(_ vantage: String, healthy: Bool, at now: Timestamp) -> [AlertNotification] {
        var state = vantages[vantage, default: VantageState()]
        defer { vantages[vantage] = state }
        if healthy {
            state.unhealthySince = nil
            guard state.firing != nil else { return [] }
            state.firing = nil
            return resolve(Self.vantageKey(vantage), at: now)
        }
        if state.unhealthySince == nil { state.unhealthySince = now }
        guard state.firing == nil, let since = state.unhealthySince,
              since.duration(to: now) >= rules.vantageUnhealthyFor
        else { return [] }
        var labels = rules.platformLabels
        labels["vantage"] = vantage
        let notification = AlertNotification(
            key: Self.vantageKey(vantage), status: .firing, severity: .critical, labels: labels,
            annotations: [
                "summary": "vantage \(vantage) is unhealthy: its control probes fail",
                "description": "the prober's own network is broken; its results are UNKNOWN and page no provider",
            ],
            startsAt: since, createdAt: now
        )
        state.firing = notification
        return announce(notification, at: now)
    }

    /// The key of a vantage's health alert.
    public static func vantageKey(_ vantage: String) -> AlertKey {
        AlertKey(alertName: "VantageUnhealthy", dedupKey: "platform/vantage/\(vantage)")
    }

    // MARK: - Sending

    private mutating func announce(_ notification: AlertNotification, at now: Timestamp) -> [AlertNotification] {
        var notification = notification
        if let url = rules.generatorURL { notification.annotations["generator_url"] = url }
        announced[notification.key] = Announced(notification: notification, lastSent: now)
        return [notification]
    }

    private mutating func resolve(_ key: AlertKey, at end: Timestamp) -> [AlertNotification] {
        guard let firing = announced.removeValue(forKey: key) else { return [] }
        return [firing.notification.resolved(at: end)]
    }

    private mutating func resendDue(now: Timestamp) -> [AlertNotification] {
        var out: [AlertNotification] = []
        for key in announced.keys.sorted() where announced[key]!.lastSent.duration(to: now) >= rules.resendInterval {
            announced[key]!.lastSent = now
            var again = announced[key]!.notification
            again.createdAt = now
            out.append(again)
        }
        return out
    }
}
