/// A Prometheus rule group (`groups[]` of a rule file): rules evaluated together every `interval`.
struct PrometheusRuleGroup: Sendable, Hashable {
    /// The group's name, unique in the file.
    var name: String
    /// How often Prometheus evaluates it.
    var interval: Duration
    /// Its rules, in evaluation order (a rule may use what an earlier one recorded).
    var rules: [PrometheusRule]
}

/// One recording or alerting rule.
struct PrometheusRule: Sendable, Hashable {
    /// What the rule produces.
    enum Output: Sendable, Hashable {
        /// A recording rule writing the series `name`.
        case record(String)
        /// An alerting rule of this `alertname`.
        case alert(String)
    }

    var output: Output
    /// The PromQL expression.
    var expr: String
    /// How long the expression must hold before the alert fires.
    var pendingFor: Duration? = nil
    /// How long the alert keeps firing after the expression stopped holding.
    var keepFiringFor: Duration? = nil
    /// Labels added to the recorded series or the alert.
    var labels: [String: String] = [:]
    /// An alert's annotations (Go templates over `$labels` and `$value`).
    var annotations: [String: String] = [:]
}
