import Alerting
import SLAEngine
import WatchCore

/// The Prometheus rules that page the way `ispwatch run` pages (docs/ALERTING.md), for a fleet's
/// central Prometheus holding every vantage's `probe_success` (scraped from /metrics or received by
/// remote-write: the same names and labels).
///
/// Three groups, each evaluated once per slice so that one evaluation stands for one slice:
/// - `ispwatch-slices` records slice states: per series the share of failed probes over the last
///   slice (left out while the vantage was unhealthy at any moment of it), DOWN at the slice rule's
///   share; per unit (target × family) DOWN when `min(Q, reporting)` vantages see it DOWN; per
///   provider and service the slice availability;
/// - `ispwatch-objectives` records each objective's error ratio (DOWN unit-slices / measured
///   unit-slices) over every window of its burn-rate pairs;
/// - `ispwatch-alerts` holds `TargetDown`, `SLOBurnRate`, `ProviderOutage` and `VantageUnhealthy`
///   with ispwatch's labels, severities and summaries.
struct FleetRuleSet {
    /// The live rules' settings (`alerting: rules:`, or the defaults).
    var rules: AlertRules
    /// The objectives watched for their burn rate.
    var objectives: [BurnRateObjective]

    /// The recorded series names, shared by the groups that write and read them.
    enum Recorded {
        static let failureRatio = "ispwatch:probe_failure_ratio:slice"
        static let seriesDown = "ispwatch:series_slice_down"
        static let unitDown = "ispwatch:unit_slice_down"
        static let availability = "ispwatch:slice_availability"
        static let objectiveErrorRatio = "ispwatch:objective_error_ratio"
    }

    /// The labels that identify a unit, as ispwatch's `TargetDown` labels it.
    static let unitLabels = "provider, service, target, family"

    private var slice: Duration { .milliseconds(rules.accounting.sliceMillis) }

    /// The three groups, in the order they must be evaluated.
    var groups: [PrometheusRuleGroup] {
        [
            PrometheusRuleGroup(name: "ispwatch-slices", interval: slice, rules: sliceRules),
            PrometheusRuleGroup(name: "ispwatch-objectives", interval: slice, rules: objectiveRecordingRules),
            PrometheusRuleGroup(name: "ispwatch-alerts", interval: slice, rules: alertRules),
        ]
    }

    // MARK: - Slices

    private var sliceRules: [PrometheusRule] {
        let window = PromQLText.duration(slice)
        let accounting = rules.accounting
        return [
            // Controls have no provider: they judge the vantage, never a provider.
            PrometheusRule(
                output: .record(Recorded.failureRatio),
                expr: """
                    1 - avg_over_time(probe_success{provider!=""}[\(window)])
                      unless on (vantage) (min_over_time(ispwatch_vantage_healthy[\(window)]) == 0)
                    """),
            PrometheusRule(
                output: .record(Recorded.seriesDown),
                expr: """
                    label_replace(
                      \(Recorded.failureRatio) >= bool \(PromQLText.number(accounting.slice.downShare)),
                      "family", "$1", "ip_family", "(.*)"
                    )
                    """),
            PrometheusRule(
                output: .record(Recorded.unitDown),
                expr: """
                      sum by (\(Self.unitLabels)) (\(Recorded.seriesDown))
                    >= bool
                      clamp_max(count by (\(Self.unitLabels)) (\(Recorded.seriesDown)), \(accounting.quorum.downVantages))
                    """),
            PrometheusRule(
                output: .record(Recorded.availability),
                expr: "1 - avg by (provider, service) (\(Recorded.unitDown))"),
        ]
    }

    // MARK: - Objectives

    private var objectiveRecordingRules: [PrometheusRule] {
        objectives.flatMap { watched -> [PrometheusRule] in
            let windows = Set(watched.pairs.flatMap { [$0.long, $0.short] }).sorted()
            let selector = Self.unitSelector(watched.objective)
            return windows.map { window in
                // A window shorter than a slice still holds the latest slice, as the live rule counts it.
                let range = PromQLText.duration(max(window, slice))
                return PrometheusRule(
                    output: .record(Recorded.objectiveErrorRatio),
                    expr: """
                          sum(sum_over_time(\(Recorded.unitDown)\(selector)[\(range)]))
                        /
                          sum(count_over_time(\(Recorded.unitDown)\(selector)[\(range)]))
                        """,
                    labels: Self.objectiveLabels(watched.objective).merging(["window": Self.windowLabel(window)]) { $1 })
            }
        }
    }

    private static func unitSelector(_ objective: ServiceObjective) -> String {
        var pairs = [(name: "provider", value: objective.provider)]
        if let service = objective.service { pairs.append(("service", service)) }
        return PromQLText.matchers(pairs)
    }

    private static func objectiveLabels(_ objective: ServiceObjective) -> [String: String] {
        var labels = ["provider": objective.provider, "objective": objective.id]
        if let service = objective.service { labels["service"] = service }
        return labels
    }

    /// ispwatch's `window` label: the window in whole seconds, `3600s`.
    static func windowLabel(_ window: Duration) -> String {
        "\(Int64(window.seconds.rounded()))s"
    }

    // MARK: - Alerts

    private var alertRules: [PrometheusRule] {
        [targetDown] + objectives.flatMap(burnRateAlerts) + [providerOutage, vantageUnhealthy]
    }

    private var targetDown: PrometheusRule {
        let incident = rules.accounting.incident
        return PrometheusRule(
            output: .alert("TargetDown"),
            expr: "\(Recorded.unitDown) == 1",
            pendingFor: slice * incident.openAfterDownSlices,
            keepFiringFor: slice * incident.closeAfterUpSlices,
            labels: ["severity": rules.targetDownSeverity.rawValue],
            annotations: [
                "summary": "{{ $labels.target }} ({{ $labels.family }}) of {{ $labels.provider }} {{ $labels.service }} is DOWN",
                "description": "\(incident.openAfterDownSlices) consecutive DOWN slices of \(PromQLText.duration(slice))",
            ])
    }

    private func burnRateAlerts(_ watched: BurnRateObjective) -> [PrometheusRule] {
        let budget = 1 - watched.objective.availability
        let objective = PromQLText.quoted(watched.objective.id)
        return watched.pairs.map { pair in
            let threshold = PromQLText.number(pair.threshold(period: watched.period))
            func burn(_ window: Duration) -> String {
                "\(Recorded.objectiveErrorRatio){objective=\(objective),window=\"\(Self.windowLabel(window))\"} / \(PromQLText.number(budget))"
            }
            return PrometheusRule(
                output: .alert("SLOBurnRate"),
                expr: """
                      \(burn(pair.long)) > \(threshold)
                    and ignoring (window)
                      \(burn(pair.short)) > \(threshold)
                    """,
                // The window is in the expression's result already; stated again so that each pair's
                // rule differs in its labels (promtool rejects identical alert rules).
                labels: ["severity": pair.severity.rawValue, "window": Self.windowLabel(pair.long)],
                // No $value in the annotations: Alertmanager would see a new annotation at every
                // evaluation, and the threshold says what matters.
                annotations: [
                    "summary": "\(watched.objective.id): error budget burning above \(threshold)× over "
                        + "\(PromQLText.duration(pair.long)) and \(PromQLText.duration(pair.short))",
                    "description": "\(Int(pair.budgetShare * 100)) % of the budget within \(PromQLText.duration(pair.long)) at this pace",
                ])
        }
    }

    private var providerOutage: PrometheusRule {
        let firing = "count by (provider) (ALERTS{alertname=\"TargetDown\",alertstate=\"firing\"})"
        let units = "count by (provider) (\(Recorded.unitDown))"
        return PrometheusRule(
            output: .alert("ProviderOutage"),
            expr: """
                  \(firing)
                >= on (provider)
                  \(PromQLText.number(rules.providerOutageShare)) * \(units)
                and on (provider)
                  \(units) >= \(rules.providerOutageMinimumUnits)
                """,
            labels: ["severity": AlertSeverity.critical.rawValue],
            annotations: [
                "summary": "{{ $labels.provider }}: {{ $value }} targets DOWN",
                "description": "provider-wide outage; the per-target pages of {{ $labels.provider }} are withheld while it lasts "
                    + "(an Alertmanager inhibit rule, docs/OPERATIONS.md)",
            ])
    }

    private var vantageUnhealthy: PrometheusRule {
        PrometheusRule(
            output: .alert("VantageUnhealthy"),
            expr: "min by (vantage) (ispwatch_vantage_healthy) == 0",
            pendingFor: rules.vantageUnhealthyFor,
            labels: rules.platformLabels.merging(["severity": AlertSeverity.critical.rawValue]) { $1 },
            annotations: [
                "summary": "vantage {{ $labels.vantage }} is unhealthy: its control probes fail",
                "description": "the prober's own network is broken; its results are UNKNOWN and page no provider",
            ])
    }
}
