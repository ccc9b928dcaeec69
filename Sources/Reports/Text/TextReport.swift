import Foundation
import SLAEngine
import WatchCore

/// The terminal form of a report: a table per provider (objective, achieved, verdict, downtime,
/// coverage, incidents, p95), then incidents, maintenance, data quality and vantages; at most 100
/// columns wide.
public struct TextReport: Sendable {
    /// The figures.
    public var result: SLAResult
    /// Provider names by id, from the configuration.
    public var providerNames: [String: String]
    /// The stores of a multi-vantage report, listed at the end; empty for one store.
    public var stores: [StoreInventory]

    /// A report of `result`, naming providers by `providerNames` (id → name) where given and
    /// listing `stores` (a multi-vantage report's inventory) when not empty.
    public init(result: SLAResult, providerNames: [String: String] = [:], stores: [StoreInventory] = []) {
        self.result = result
        self.providerNames = providerNames
        self.stores = stores
    }

    /// The report, lines ending in a newline.
    public func render() -> String {
        var lines = header()
        lines += providerTables()
        lines += incidentTable()
        lines += maintenanceTable()
        lines += dataQuality()
        lines += storeInventory()
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Sections

    private func header() -> [String] {
        let period = result.period
        let rules = result.rules
        let slices = period.grid(sliceMillis: rules.sliceMillis).count
        return [
            "SLA report \(local(period.from)) → \(local(period.to)) \(period.timeZone)",
            "  \(ReportFormatting.duration(period.from.duration(to: period.to))) in \(slices) slices of "
                + "\(ReportFormatting.duration(rules.sliceDuration)); a slice is DOWN when ≥ "
                + "\(ReportFormatting.percent(rules.slice.downShare, digits: 0)) of its probes failed",
            "  quorum \(rules.quorum.downVantages) vantages · incident after \(rules.incident.openAfterDownSlices) DOWN "
                + "slices, closed after \(rules.incident.closeAfterUpSlices) UP",
            "  maintenance excuses downtime when declared ≥ \(ReportFormatting.duration(rules.maintenanceLeadTime)) ahead; "
                + "UNKNOWN (no data, unhealthy",
            "  vantage) is neither up nor down, and coverage is shown. The rules: docs/SLA.md",
            "  Probe-based availability is an independent measurement, not the provider's legal statistic.",
        ]
    }

    private static let columns = [22, 9, 8, 17, 9, 8, 4, 9]

    private func providerTables() -> [String] {
        var lines: [String] = []
        let providers = Set(result.groups.compactMap { $0.key[.provider] } + result.objectives.map(\.objective.provider))
        let sections: [String?] = result.grouping.contains(.provider) ? providers.sorted() : [nil]
        for provider in sections {
            lines.append("")
            if let provider {
                let name = providerNames[provider].map { $0 == provider ? provider : "\($0) (\(provider))" } ?? provider
                lines.append(name)
            } else {
                lines.append("All providers")
            }
            lines.append(row(["", "OBJECTIVE", "ACHIEVED", "VERDICT", "DOWNTIME", "COVERAGE", "INC", "P95"]))
            for evaluation in result.objectives where provider == nil || evaluation.objective.provider == provider {
                let label = "objective " + evaluation.objective.id + (evaluation.periodAligned ? "" : "*")
                lines.append(row([
                    label, ReportFormatting.percent(evaluation.objective.availability, digits: 2),
                    ReportFormatting.percent(evaluation.availability.adjusted, digits: 3), evaluation.verdict.rawValue,
                    ReportFormatting.duration(evaluation.availability.downtime),
                    ReportFormatting.percent(evaluation.availability.coverage, digits: 1),
                    "\(evaluation.reliability.incidents)", ReportFormatting.milliseconds(evaluation.latency?.p95),
                ]))
            }
            for group in result.groups where provider == nil || group.key[.provider] == provider {
                let label = group.key.fields.filter { $0.dimension != .provider }.map { $0.value.isEmpty ? "-" : $0.value }
                    .joined(separator: "/")
                lines.append(row([
                    label.isEmpty ? "all services" : label, "", ReportFormatting.percent(group.availability.adjusted, digits: 3),
                    "", ReportFormatting.duration(group.availability.downtime),
                    ReportFormatting.percent(group.availability.coverage, digits: 1), "\(group.reliability.incidents)",
                    ReportFormatting.milliseconds(group.latency?.p95),
                ]))
            }
        }
        if result.objectives.contains(where: { !$0.periodAligned }) {
            lines.append("")
            lines.append("* the period is not one calendar period of the objective: its budget is for the period shown")
        }
        return lines
    }

    private func incidentTable() -> [String] {
        var lines = ["", "Incidents (\(result.incidents.count))"]
        guard !result.incidents.isEmpty else { return lines }
        let widths = [24, 11, 11, 8, 14, 17]
        lines.append(Self.pad(["TARGET", "START", "END", "DURATION", "VANTAGES", "CAUSE", "FLAGS"], widths))
        for incident in result.incidents {
            var target = "\(incident.target.rawValue)/\(incident.family.rawValue)"
            if let vantage = incident.vantage { target += "/\(vantage)" }
            let cause = [incident.dominantFailure, incident.dominantCode.map { "\($0)" }].compactMap { $0 }.joined(separator: " ")
            var flags: [String] = []
            if incident.flapping { flags.append("flapping") }
            if incident.duringLateMaintenance { flags.append("late-maint") }
            lines.append(Self.pad([
                target, short(incident.start), incident.end.map(short) ?? "open", ReportFormatting.duration(incident.duration),
                incident.affectedVantages.joined(separator: ","), cause, flags.joined(separator: ","),
            ], widths))
        }
        return lines
    }

    private func maintenanceTable() -> [String] {
        var lines = ["", "Maintenance (\(result.maintenance.count))"]
        guard !result.maintenance.isEmpty else { return lines }
        lines.append(Self.pad(["WINDOW", "START", "END", "LEAD", "LATE", "UNITS", "DOWN"], [22, 16, 16, 9, 5, 6]))
        for entry in result.maintenance {
            lines.append(Self.pad([
                entry.windowID, local(entry.start), local(entry.end), ReportFormatting.duration(entry.leadTime),
                entry.late ? "LATE" : "no", "\(entry.units)",
                ReportFormatting.duration(.milliseconds(Int64(entry.downSlices) * result.rules.sliceMillis)),
            ], [22, 16, 16, 9, 5, 6]))
        }
        return lines
    }

    private func dataQuality() -> [String] {
        let quality = result.dataQuality
        var lines = ["", "Data quality"]
        let gapSlices = quality.gaps.reduce(0) { $0 + $1.slices }
        lines.append("  gaps ≥ \(result.rules.gapReportMinimumSlices) slices: \(quality.gaps.count) "
                     + "(\(ReportFormatting.duration(.milliseconds(Int64(gapSlices) * result.rules.sliceMillis))) of series time)"
                     + " · prober errors left out: \(quality.proberErrors)")
        lines.append("  store damage skipped: \(quality.storeDamages.count) · silent unconfigured series left out: "
                     + "\(quality.seriesLeftOut.count)")
        lines.append(Self.pad(["  VANTAGE", "SERIES", "PROBES", "COVERAGE", "UNHEALTHY", "HEALTH"], [22, 7, 11, 9, 10]))
        for vantage in result.vantages {
            lines.append(Self.pad([
                "  " + vantage.id, "\(vantage.series)", "\(vantage.probes)",
                ReportFormatting.percent(vantage.coverage, digits: 1), ReportFormatting.duration(vantage.unhealthyTime),
                vantage.reportsHealth ? "reported" : "none (healthy assumed)",
            ], [22, 7, 11, 9, 10]))
        }
        for period in quality.unhealthyPeriods {
            lines.append("  \(period.vantage) unhealthy \(local(period.start)) → \(local(period.end))")
        }
        for damage in quality.storeDamages.prefix(5) { lines.append("  damage: \(damage)") }
        return lines
    }

    // MARK: - Cells

    private func row(_ cells: [String]) -> String {
        "  " + Self.pad(cells, Array(Self.columns.dropLast()))
    }

    /// Cells left-aligned in columns of `widths` (the last cell takes what it needs), cut to fit.
    static func pad(_ cells: [String], _ widths: [Int]) -> String {
        var line = ""
        for (index, cell) in cells.enumerated() {
            guard index < widths.count else {
                line += cell
                break
            }
            let width = widths[index]
            let text = cell.count > width ? String(cell.prefix(width - 1)) + "…" : cell
            line += text + String(repeating: " ", count: width - text.count + 1)
        }
        while line.last == " " { line.removeLast() }
        return line
    }

    private func local(_ timestamp: Timestamp) -> String {
        ReportFormatting.local(timestamp, timeZone: result.period.timeZone)
    }

    /// `02-05 01:14`: the year is in the header.
    private func short(_ timestamp: Timestamp) -> String {
        String(local(timestamp).dropFirst(5))
    }
}
