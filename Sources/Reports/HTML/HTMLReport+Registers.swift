import Foundation
import SLAEngine
import WatchCore

extension HTMLReport {
    /// Rows beyond this in one data-quality table are counted, not listed: a month of a broken
    /// vantage would otherwise make the page unreadable (the CSV and JSON forms list them all).
    static let maximumListedRows = 200

    func incidentRegister() -> String {
        var html = "<section id=\"incidents\">\n<h2>Incident register (\(result.incidents.count))</h2>\n"
        guard !result.incidents.isEmpty else { return html + "<p>No incident in the period.</p>\n</section>\n" }
        html += "<div class=\"table-wrap\"><table>\n<tr><th>ID</th><th>Provider</th><th>Service</th><th>Start</th><th>End</th>"
            + "<th class=\"num\">Duration</th><th class=\"num\">DOWN slices</th><th>Vantages</th><th>Cause</th><th>Flags</th></tr>\n"
        for incident in result.incidents {
            let cause = [incident.dominantFailure, incident.dominantCode.map { "\($0)" }].compactMap { $0 }.joined(separator: " ")
            var flags: [String] = []
            if incident.isOpen { flags.append("open") }
            if incident.flapping { flags.append("flapping") }
            if incident.duringLateMaintenance { flags.append("late maintenance") }
            html += "<tr>" + cells([
                incident.id, providerName(incident.provider), incident.service, local(incident.start),
                incident.end.map(local) ?? "open",
            ]) + "<td class=\"num\">\(ReportFormatting.duration(incident.duration))</td><td class=\"num\">\(incident.downSlices)</td>"
                + cells([incident.affectedVantages.joined(separator: ", "), cause, flags.joined(separator: ", ")]) + "</tr>\n"
        }
        return html + "</table></div>\n</section>\n"
    }

    func maintenanceLog() -> String {
        var html = "<section id=\"maintenance\">\n<h2>Maintenance log (\(result.maintenance.count))</h2>\n"
        guard !result.maintenance.isEmpty else { return html + "<p>No maintenance window in the period.</p>\n</section>\n" }
        html += "<div class=\"table-wrap\"><table>\n<tr><th>Window</th><th>Declared by</th><th>Reason</th><th>Declared at</th>"
            + "<th>Start</th><th>End</th><th class=\"num\">Lead time</th><th>Late</th><th class=\"num\">Units</th>"
            + "<th class=\"num\">DOWN inside</th></tr>\n"
        for entry in result.maintenance {
            let down = ReportFormatting.duration(.milliseconds(Int64(entry.downSlices) * result.rules.sliceMillis))
            html += "<tr>" + cells([
                entry.windowID, entry.declaredBy ?? "", entry.reason ?? "", local(entry.declaredAt), local(entry.start),
                local(entry.end),
            ]) + "<td class=\"num\">\(ReportFormatting.duration(entry.leadTime))</td>"
                + "<td class=\"\(entry.late ? "misses" : "")\">\(entry.late ? "LATE: downtime counted" : "no: downtime excused")</td>"
                + "<td class=\"num\">\(entry.units)</td><td class=\"num\">\(down)</td></tr>\n"
        }
        return html + "</table></div>\n</section>\n"
    }

    func dataQuality() -> String {
        let quality = result.dataQuality
        let width = result.rules.sliceMillis
        let gapSlices = quality.gaps.reduce(0) { $0 + $1.slices }
        var html = "<section id=\"data-quality\">\n<h2>Data quality</h2>\n<ul>\n"
        html += "<li>Gaps of ≥ \(result.rules.gapReportMinimumSlices) slices without a probe: \(quality.gaps.count) "
            + "(\(ReportFormatting.duration(.milliseconds(Int64(gapSlices) * width))) of series time)</li>\n"
        html += "<li>Unhealthy vantage periods: \(quality.unhealthyPeriods.count)</li>\n"
        html += "<li>Results left out as the prober's own fault: \(quality.proberErrors)</li>\n"
        html += "<li>Store damage stepped over: \(quality.storeDamages.count)</li>\n"
        html += "<li>Silent, unconfigured series left out: \(quality.seriesLeftOut.count)</li>\n</ul>\n"
        html += "<h3>Vantages</h3>\n<div class=\"table-wrap\"><table>\n<tr><th>Vantage</th><th class=\"num\">Series</th>"
            + "<th class=\"num\">Probes</th><th class=\"num\">Coverage</th><th class=\"num\">Unhealthy</th><th>Health verdicts</th></tr>\n"
        for vantage in result.vantages {
            html += "<tr>" + cells([vantage.id]) + "<td class=\"num\">\(vantage.series)</td><td class=\"num\">\(vantage.probes)</td>"
                + "<td class=\"num\">\(ReportFormatting.percent(vantage.coverage, digits: 1))</td>"
                + "<td class=\"num\">\(ReportFormatting.duration(vantage.unhealthyTime))</td>"
                + "<td>\(vantage.reportsHealth ? "reported" : "none (healthy assumed)")</td></tr>\n"
        }
        html += "</table></div>\n"
        if !quality.unhealthyPeriods.isEmpty {
            html += "<h3>Unhealthy vantages</h3>\n<div class=\"table-wrap\"><table>\n<tr><th>Vantage</th><th>From</th><th>To</th>"
                + "<th class=\"num\">Duration</th></tr>\n"
            for period in quality.unhealthyPeriods.prefix(Self.maximumListedRows) {
                html += "<tr>" + cells([period.vantage, local(period.start), local(period.end)])
                    + "<td class=\"num\">\(ReportFormatting.duration(period.start.duration(to: period.end)))</td></tr>\n"
            }
            html += "</table></div>\n" + more(quality.unhealthyPeriods.count)
        }
        if !quality.gaps.isEmpty {
            html += "<h3>Gaps</h3>\n<div class=\"table-wrap\"><table>\n<tr><th>Series</th><th>From</th><th>To</th>"
                + "<th class=\"num\">Duration</th></tr>\n"
            for gap in quality.gaps.prefix(Self.maximumListedRows) {
                html += "<tr>" + cells([gap.series.description, local(gap.start), local(gap.end)])
                    + "<td class=\"num\">\(ReportFormatting.duration(.milliseconds(Int64(gap.slices) * width)))</td></tr>\n"
            }
            html += "</table></div>\n" + more(quality.gaps.count)
        }
        if !quality.storeDamages.isEmpty {
            html += "<h3>Store damage</h3>\n<ul>\n"
            for damage in quality.storeDamages.prefix(Self.maximumListedRows) { html += "<li>\(damage.htmlEscaped)</li>\n" }
            html += "</ul>\n" + more(quality.storeDamages.count)
        }
        return html + "</section>\n"
    }

    private func cells(_ values: [String]) -> String {
        values.map { "<td>\($0.htmlEscaped)</td>" }.joined()
    }

    private func more(_ count: Int) -> String {
        count > Self.maximumListedRows
            ? "<p class=\"note\">\(count - Self.maximumListedRows) more, listed in the JSON and CSV forms.</p>\n" : ""
    }
}
