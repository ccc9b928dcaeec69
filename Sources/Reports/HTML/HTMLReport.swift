import Foundation
import SLAEngine
import WatchCore

/// The HTML form of a report: one self-contained page (inline style and SVG charts, no script, no
/// fetch of any kind) that reads on a phone and prints. It states its methodology and the reference
/// thresholds, then gives the per-provider summary, charts over time, the incident register, the
/// maintenance log and the data-quality facts. Every string from a configuration or a store is
/// escaped.
public struct HTMLReport: Sendable {
    /// The figures.
    public var result: SLAResult
    /// Figures per day (or hour) for the charts over time, grouped by provider; `nil` leaves the
    /// charts out.
    public var breakdown: SLABreakdown?
    /// What was probed, how often, from where.
    public var methodology: Methodology
    /// Provider names by id, from the configuration.
    public var providerNames: [String: String]
    /// The regulatory limits shown and compared against.
    public var thresholds: ReferenceThresholds
    /// The stores of a multi-vantage report, listed after the data quality; empty for one store.
    public var stores: [StoreInventory]

    /// A report of `result`.
    public init(
        result: SLAResult, breakdown: SLABreakdown? = nil, methodology: Methodology,
        providerNames: [String: String] = [:], thresholds: ReferenceThresholds = .qcvn34, stores: [StoreInventory] = []
    ) {
        self.stores = stores
        self.result = result
        self.breakdown = breakdown
        self.methodology = methodology
        self.providerNames = providerNames
        self.thresholds = thresholds
    }

    /// The statement every report carries (docs/SLA.md): what the figures are not.
    public static let independenceStatement = "Probe-based availability is an independent measurement, not the "
        + "provider's legal statistic: the regulation computes availability from the provider's own incident "
        + "records, weighted by the subscribers affected. These figures come from active probes and are a proxy "
        + "for what users experienced."

    /// The page.
    public func render() -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<title>\(("SLA report " + local(result.period.from) + " – " + local(result.period.to)).htmlEscaped)</title>\n"
        html += "<style>\n\(HTMLStyle.css)\n</style>\n</head>\n<body>\n"
        html += header()
        html += methodologyBox()
        html += referenceBox()
        html += summary()
        html += charts()
        html += incidentRegister()
        html += maintenanceLog()
        html += dataQuality()
        html += storeInventory()
        html += "<footer class=\"note\"><p>Every figure follows the accounting rules of docs/SLA.md and can be "
            + "recomputed from them and the stored results.</p></footer>\n</body>\n</html>\n"
        return html
    }

    // MARK: - Header and boxes

    private func header() -> String {
        let period = result.period
        var html = "<header>\n<h1>SLA report</h1>\n<p class=\"subtitle\">"
        html += "\(local(period.from)) → \(local(period.to)) (\(period.timeZone))".htmlEscaped
        html += " · \(ReportFormatting.duration(period.from.duration(to: period.to)))".htmlEscaped
        if let unit = period.calendarUnit { html += " · calendar \(unit.rawValue)".htmlEscaped }
        let providers = ProviderRollup.of(result.groups).map { providerName($0.provider) }
        if !providers.isEmpty { html += "<br>Providers: " + providers.joined(separator: ", ").htmlEscaped }
        return html + "</p>\n</header>\n"
    }

    private func methodologyBox() -> String {
        let rules = result.rules
        let kinds = methodology.probeKinds.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue.uppercased()) (\($0.value))" }.joined(separator: ", ")
        let intervals = methodology.intervals.map(ReportFormatting.duration).joined(separator: ", ")
        let timeouts = methodology.timeouts.map(ReportFormatting.duration).joined(separator: ", ")
        var intervalText = intervals.isEmpty ? "not configured in this report's inputs" : "every \(intervals) per target and vantage"
        if let observed = observedInterval() { intervalText += "; observed: one probe every \(observed) per series on average" }
        let slice = ReportFormatting.duration(rules.sliceDuration)
        let quorum = result.grouping.contains(.vantage)
            ? "grouped by vantage: each vantage's series is counted on its own, without quorum"
            : "a target is DOWN in a slice when at least \(rules.quorum.downVantages) healthy vantages see it DOWN "
                + "(all of them when fewer report); one broken vantage cannot invent an outage"
        let items: [(String, String)] = [
            ("Probe types", kinds.isEmpty ? "none found" : kinds + " targets"),
            ("Interval", intervalText),
            ("Timeout", timeouts.isEmpty ? "not configured in this report's inputs" : timeouts),
            ("Slice rule", "\(slice) slices; a slice is DOWN when ≥ \(ReportFormatting.percent(rules.slice.downShare, digits: 0)) "
                + "of its probes failed, UP when it has probes and is not DOWN"),
            ("Vantages", methodology.vantages.isEmpty ? "none" : methodology.vantages.joined(separator: ", ")),
            ("Quorum", quorum),
            ("Incident rule", "opens after \(rules.incident.openAfterDownSlices) consecutive DOWN slices, closes after "
                + "\(rules.incident.closeAfterUpSlices) consecutive UP slices; UNKNOWN and maintenance slices freeze the state; "
                + "flapping when ≥ \(rules.flapping.changes) state changes in \(rules.flapping.window) slices"),
            ("Maintenance", "a window declared at least \(ReportFormatting.duration(rules.maintenanceLeadTime)) before it "
                + "starts excuses the downtime inside it (adjusted availability); a window declared later excuses nothing and "
                + "is flagged late; raw availability ignores maintenance"),
            ("Unknown", "a slice without a probe, or measured by an unhealthy vantage, is UNKNOWN: neither up nor down, "
                + "never given its neighbour's state; coverage is the share of slices with a measured state"),
            ("Latency", "successful probes only; percentiles from a sketch within 1 % of the exact value; mean and max exact"),
        ]
        var html = "<section class=\"box\" id=\"methodology\">\n<h2>Methodology</h2>\n<dl>\n"
        for (term, description) in items {
            html += "<dt>\(term.htmlEscaped)</dt><dd>\(description.htmlEscaped)</dd>\n"
        }
        return html + "</dl>\n</section>\n"
    }

    private func referenceBox() -> String {
        var html = "<section class=\"box statement\" id=\"reference\">\n<h2>Reference thresholds</h2>\n"
        html += "<p>Compared against \(thresholds.source.htmlEscaped): service availability ≥ "
            + "\(ReportFormatting.percent(thresholds.availability, digits: 1).htmlEscaped), mean latency ≤ "
            + "\(ReportFormatting.milliseconds(thresholds.meanLatencyMilliseconds).htmlEscaped).</p>\n"
        html += "<p><strong>\(Self.independenceStatement.htmlEscaped)</strong></p>\n"
        return html + "</section>\n"
    }

    // MARK: - Summary

    private func summary() -> String {
        var html = "<section id=\"summary\">\n<h2>Summary per provider</h2>\n"
        let rollups = ProviderRollup.of(result.groups)
        var providers = rollups.map(\.provider)
        for objective in result.objectives.map(\.objective.provider) where !providers.contains(objective) {
            providers.append(objective)
        }
        if providers.isEmpty { html += "<p>No series in the period.</p>\n" }
        for provider in providers.sorted() {
            html += "<h3>\(providerName(provider).htmlEscaped)</h3>\n<div class=\"table-wrap\"><table class=\"summary\" "
                + "data-provider=\"\(provider.htmlEscaped)\">\n<tr><th></th><th class=\"num\">Objective</th>"
                + "<th class=\"num\">Achieved</th><th>Verdict</th><th class=\"num\">Downtime</th><th class=\"num\">Coverage</th>"
                + "<th class=\"num\">Incidents</th><th class=\"num\">p95</th><th class=\"num\">Mean</th></tr>\n"
            for evaluation in result.objectives where provider.isEmpty || evaluation.objective.provider == provider {
                let label = "objective " + evaluation.objective.id + (evaluation.periodAligned ? "" : " *")
                html += row(label: label, objective: evaluation.objective.availability, availability: evaluation.availability,
                            verdict: evaluation.verdict, incidents: evaluation.reliability.incidents,
                            latency: evaluation.latency, kind: "objective")
            }
            for group in result.groups where provider.isEmpty || group.key[.provider] == provider {
                let label = group.key.fields.filter { $0.dimension != .provider }.map { $0.value.isEmpty ? "-" : $0.value }
                    .joined(separator: "/")
                html += row(label: label.isEmpty ? "all services" : label, objective: nil, availability: group.availability,
                            verdict: nil, incidents: group.reliability.incidents, latency: group.latency, kind: "group")
            }
            if let rollup = rollups.first(where: { $0.provider == provider }) {
                html += referenceRow(rollup)
            }
            html += "</table></div>\n"
        }
        if result.objectives.contains(where: { !$0.periodAligned }) {
            html += "<p class=\"note\">* the period is not one calendar period of the objective: its budget is for the "
                + "period shown.</p>\n"
        }
        return html + "</section>\n"
    }

    private func row(
        label: String, objective: Double?, availability: AvailabilityFigures, verdict: ObjectiveVerdict?, incidents: Int,
        latency: LatencyFigures?, kind: String
    ) -> String {
        let verdictClass = verdict.map { $0 == .insufficientData ? "INSUFFICIENT" : $0.rawValue } ?? ""
        return "<tr class=\"\(kind)\"><td>\(label.htmlEscaped)</td>"
            + "<td class=\"num\">\(objective.map { ReportFormatting.percent($0, digits: 2) } ?? "")</td>"
            + "<td class=\"num achieved\" data-value=\"\(availability.adjusted.map { "\($0)" } ?? "")\">"
            + "\(ReportFormatting.percent(availability.adjusted, digits: 3))</td>"
            + "<td class=\"verdict \(verdictClass)\">\(verdict?.rawValue ?? "")</td>"
            + "<td class=\"num\">\(ReportFormatting.duration(availability.downtime))</td>"
            + "<td class=\"num\">\(ReportFormatting.percent(availability.coverage, digits: 1))</td>"
            + "<td class=\"num\">\(incidents)</td>"
            + "<td class=\"num\">\(ReportFormatting.milliseconds(latency?.p95))</td>"
            + "<td class=\"num\">\(ReportFormatting.milliseconds(latency?.mean))</td></tr>\n"
    }

    /// The provider's pooled figures against the reference thresholds.
    private func referenceRow(_ rollup: ProviderRollup) -> String {
        let availability = rollup.availability(sliceMillis: result.rules.sliceMillis)
        let latency = rollup.latencyFigures
        func mark(_ meets: Bool?) -> String {
            guard let meets else { return "" }
            return meets ? " <span class=\"meets\">✓</span>" : " <span class=\"misses\">✗</span>"
        }
        let availabilityMeets = availability.adjusted.map { $0 >= thresholds.availability }
        let latencyMeets = latency.map { $0.mean <= thresholds.meanLatencyMilliseconds }
        return "<tr class=\"reference\"><td>all, vs \(thresholds.source.htmlEscaped)</td>"
            + "<td class=\"num\">\(ReportFormatting.percent(thresholds.availability, digits: 2))</td>"
            + "<td class=\"num provider-achieved\" data-value=\"\(availability.adjusted.map { "\($0)" } ?? "")\">"
            + "\(ReportFormatting.percent(availability.adjusted, digits: 3))\(mark(availabilityMeets))</td><td></td>"
            + "<td class=\"num\">\(ReportFormatting.duration(availability.downtime))</td>"
            + "<td class=\"num\">\(ReportFormatting.percent(availability.coverage, digits: 1))</td>"
            + "<td class=\"num\">\(rollup.incidents)</td><td class=\"num\">\(ReportFormatting.milliseconds(latency?.p95))</td>"
            + "<td class=\"num\">\(ReportFormatting.milliseconds(latency?.mean))\(mark(latencyMeets))</td></tr>\n"
    }

    // MARK: - Shared

    func providerName(_ provider: String) -> String {
        guard !provider.isEmpty else { return "All providers" }
        guard let name = providerNames[provider], name != provider else { return provider }
        return "\(name) (\(provider))"
    }

    func local(_ timestamp: Timestamp) -> String {
        ReportFormatting.local(timestamp, timeZone: result.period.timeZone)
    }

    /// The mean time between two probes of one series, from the vantages' probes and measured
    /// series-slices; `nil` without a probe.
    private func observedInterval() -> String? {
        let probes = result.vantages.reduce(0) { $0 + $1.probes }
        guard probes > 0 else { return nil }
        let slices = Double(result.period.grid(sliceMillis: result.rules.sliceMillis).count)
        let measured = result.vantages.reduce(0.0) { $0 + Double($1.series) * slices * $1.coverage }
        let seconds = measured * Double(result.rules.sliceMillis) / 1_000 / Double(probes)
        return seconds >= 1 ? ReportFormatting.duration(.seconds(seconds.rounded())) : String(format: "%.2fs", seconds)
    }
}
