import Foundation
import SLAEngine
import WatchCore

/// Every incident on the period's time axis, one row per target and family (and vantage when
/// grouped by vantage), with maintenance occurrences as bands behind them. Open incidents run to the
/// end of the period; flapping ones are drawn in their own colour. Rows are in name order.
struct IncidentTimelineChart {
    struct Tick {
        var at: Timestamp
        var label: String
    }

    var period: ReportPeriod
    var incidents: [Incident]
    var maintenance: [MaintenanceLogEntry]
    var ticks: [Tick]
    var describe: (Incident) -> String
    /// Rows beyond this are left to the register, so that the chart stays readable on a phone.
    var maximumRows = 40

    func render() -> String {
        // With more rows than fit, the rows with the most incident time are drawn, in name order.
        var incidentTime: [String: Duration] = [:]
        for incident in incidents { incidentTime[Self.rowName(incident), default: .zero] += incident.duration }
        let rows = incidentTime.keys.sorted()
        let shown = rows.count <= maximumRows ? rows
            : incidentTime.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(maximumRows).map(\.key).sorted()
        let rowOf = Dictionary(uniqueKeysWithValues: shown.enumerated().map { ($0.element, $0.offset) })
        let rowHeight = 18.0
        var frame = SVGFrame()
        frame.left = 190
        frame.top = 22
        frame.bottom = 10
        frame.height = frame.top + frame.bottom + rowHeight * Double(max(shown.count, 1))
        let from = Double(period.from.millisecondsSinceEpoch), span = Double(period.to.millisecondsSinceEpoch) - from
        func x(_ timestamp: Timestamp) -> Double {
            frame.left + min(max((Double(timestamp.millisecondsSinceEpoch) - from) / span, 0), 1) * frame.plotWidth
        }
        var svg = frame.open(label: "Incident timeline", height: frame.height)
        for entry in maintenance {
            let start = x(entry.start), end = x(entry.end)
            svg += "<rect x=\"\(SVGFrame.number(start))\" y=\"\(SVGFrame.number(frame.top))\" "
                + "width=\"\(SVGFrame.number(max(end - start, 1)))\" height=\"\(SVGFrame.number(frame.plotHeight))\" "
                + "class=\"\(entry.late ? "maint late" : "maint")\"><title>\(("maintenance " + entry.windowID + (entry.late ? " (late)" : "")).htmlEscaped)</title></rect>"
        }
        for tick in ticks {
            let position = x(tick.at)
            svg += "<line x1=\"\(SVGFrame.number(position))\" x2=\"\(SVGFrame.number(position))\" "
                + "y1=\"\(SVGFrame.number(frame.top - 4))\" y2=\"\(SVGFrame.number(frame.plotBottom))\" class=\"grid\"/>"
            svg += SVGFrame.text(tick.label, x: position, y: frame.top - 8)
        }
        for (index, row) in shown.enumerated() {
            let y = frame.top + Double(index) * rowHeight
            svg += SVGFrame.text(row, x: frame.left - 6, y: y + rowHeight - 5, anchor: "end", className: "row-label")
        }
        for incident in incidents {
            guard let row = rowOf[Self.rowName(incident)] else { continue }
            let start = x(incident.start), end = x(incident.end ?? period.to)
            let className = incident.flapping ? "incident flapping" : incident.isOpen ? "incident open" : "incident"
            svg += "<rect x=\"\(SVGFrame.number(start))\" y=\"\(SVGFrame.number(frame.top + Double(row) * rowHeight + 3))\" "
                + "width=\"\(SVGFrame.number(max(end - start, 2)))\" height=\"\(SVGFrame.number(rowHeight - 6))\" "
                + "class=\"\(className)\"><title>\(describe(incident).htmlEscaped)</title></rect>"
        }
        if shown.isEmpty {
            svg += SVGFrame.text("no incident in the period", x: frame.left + frame.plotWidth / 2, y: frame.top + 13)
        }
        svg += "</svg>"
        if rows.count > shown.count {
            svg += "<p class=\"note\">The \(shown.count) targets with the most incident time are drawn; "
                + "\(rows.count - shown.count) more with incidents are in the register below.</p>"
        }
        return svg
    }

    static func rowName(_ incident: Incident) -> String {
        var name = "\(incident.target.rawValue)/\(incident.family.rawValue)"
        if let vantage = incident.vantage { name += "/\(vantage)" }
        return name
    }
}
