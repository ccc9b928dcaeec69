import Foundation
import Reports
import WatchCore

/// The HTML of a status page: one section per provider, a table of services with their state now,
/// their availability over the period and a bar per day, a p95 latency sparkline, and the incidents.
/// Inline CSS and SVG only: no script, no external fetch, readable on a phone.
struct StatusPageHTML {
    var data: StatusData
    var language: PageLanguage
    var timeZone: TimeZone
    var request: ServerRequest

    func render() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(language.text(.title).htmlEscaped)</title>
            <style>\(Self.style)</style></head>
            <body><header><h1>\(language.text(.title).htmlEscaped)</h1>
            <p class="period" data-from="\(data.from)" data-to="\(data.to)">\(language.text(.period)): \
            \(day(data.from)) – \(day(data.to)) · \(languageLinks())</p></header>

            """
        for provider in data.providers { html += section(provider) }
        html += "</body></html>\n"
        return html
    }

    private func section(_ provider: StatusData.ProviderStatus) -> String {
        var html = """
            <section class="provider" id="provider-\(provider.id.htmlEscaped)" data-provider="\(provider.id.htmlEscaped)">
            <h2><a href="/providers/\(provider.id.htmlEscaped)?lang=\(language.rawValue)">\(provider.name.htmlEscaped)</a> \
            <span class="figure" data-availability="\(provider.availability.map { String($0) } ?? "")">\
            \(language.percent(provider.availability))</span></h2>
            <table><thead><tr><th>\(language.text(.service))</th><th>\(language.text(.state))</th>\
            <th>\(language.text(.availability))</th><th class="bars-head">\(language.text(.lastDays))</th></tr></thead><tbody>

            """
        for service in provider.services {
            let state: (String, PageText) = service.down > 0 ? ("down", .down) : service.up > 0 ? ("up", .up) : ("unknown", .unknown)
            html += """
                <tr class="service" data-service="\(service.name.htmlEscaped)"><td>\(service.name.htmlEscaped) \
                <small>\(service.targets) \(language.text(.targets))</small></td>\
                <td><span class="state \(state.0)">\(language.text(state.1))</span>\
                \(service.down > 0 ? " <small>\(service.down)/\(service.targets)</small>" : "")</td>\
                <td class="figure" data-availability="\(service.availability.map { String($0) } ?? "")">\
                \(language.percent(service.availability))</td><td>\(bars(service))</td></tr>

                """
        }
        html += "</tbody></table>\n<h3>\(language.text(.latency))</h3>\n\(sparkline(provider.dayLatency))\n"
        html += "<h3>\(language.text(.incidents))</h3>\n"
        if provider.incidents.isEmpty {
            html += "<p class=\"none\">\(language.text(.noIncidents))</p>\n"
        } else {
            html += "<ul class=\"incidents\">\n"
            for incident in provider.incidents {
                let span = "\(language.text(.since)) \(moment(incident.start))"
                    + (incident.end.map { " \(language.text(.ended)) \(moment($0))" } ?? " · <b>\(language.text(.open))</b>")
                html += "<li class=\"\(incident.end == nil ? "open" : "closed")\">\(incident.service.htmlEscaped) · "
                    + "\(incident.target.htmlEscaped): \(span)"
                    + (incident.reason.map { " · \(language.text(.reason)): <code>\($0.htmlEscaped)</code>" } ?? "") + "</li>\n"
            }
            html += "</ul>\n"
        }
        return html + "</section>\n"
    }

    /// One bar per day, coloured by availability, with the figure as its tooltip.
    private func bars(_ service: StatusData.Service) -> String {
        let count = data.dayStarts.count
        let width = 4 * count
        var svg = "<svg class=\"bars\" viewBox=\"0 0 \(width) 24\" preserveAspectRatio=\"none\" role=\"img\">"
        for index in 0..<count {
            let share = service.dayAvailability(index)
            let colour = switch share {
            case nil: "#c9ccd1"
            case let value? where value >= 0.999: "#2e9e5b"
            case let value? where value >= 0.99: "#9bbf3b"
            case let value? where value >= 0.95: "#e7a331"
            default: "#d64545"
            }
            svg += "<rect x=\"\(index * 4)\" y=\"0\" width=\"3\" height=\"24\" fill=\"\(colour)\">"
                + "<title>\(day(data.dayStarts[index])): \(language.percent(share))</title></rect>"
        }
        return svg + "</svg>"
    }

    /// p95 latency per day as a polyline; days without a successful probe are left out.
    private func sparkline(_ sketches: [LatencySketch]) -> String {
        let values = sketches.map { $0.quantile(0.95).map { $0 / 1_000 } }
        let known = values.compactMap { $0 }
        guard let highest = known.max(), let lowest = known.min(), highest > 0 else { return "<p class=\"none\">–</p>" }
        let span = max(highest - lowest, highest * 0.05)
        let width = max(1, values.count - 1) * 10
        var points: [String] = []
        for (index, value) in values.enumerated() {
            guard let value else { continue }
            points.append("\(index * 10),\(PageLanguage.fixed(38 - 36 * (value - lowest) / span, decimals: 1))")
        }
        return "<svg class=\"spark\" viewBox=\"-2 0 \(width + 4) 40\" role=\"img\"><title>p95 ≤ "
            + "\(language.milliseconds(highest))</title><polyline fill=\"none\" stroke=\"#3b6fb6\" stroke-width=\"1.5\" "
            + "points=\"\(points.joined(separator: " "))\"/></svg> <small>max \(language.milliseconds(highest))</small>"
    }

    private func languageLinks() -> String {
        PageLanguage.allCases.map { other in
            other == language ? "<b>\(other.rawValue)</b>" : "<a href=\"?lang=\(other.rawValue)\">\(other.rawValue)</a>"
        }.joined(separator: " ")
    }

    private func day(_ time: Timestamp) -> String { format(time, "yyyy-MM-dd") }

    private func moment(_ time: Timestamp) -> String { format(time, "yyyy-MM-dd HH:mm") }

    private func format(_ time: Timestamp, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: Date(timeIntervalSince1970: time.secondsSinceEpoch))
    }

    private static let style = """
        body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:0 .75rem;color:#1d2330}\
        h1{font-size:1.4rem}h2{font-size:1.2rem;border-top:1px solid #d9dce1;padding-top:.75rem}h3{font-size:1rem}\
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #eceef1;\
        vertical-align:middle}td:last-child{width:45%}svg.bars{width:100%;height:1.4rem;display:block}\
        svg.spark{width:12rem;height:2.5rem;vertical-align:middle}.state{padding:.05rem .45rem;border-radius:.6rem;\
        font-size:.85rem;color:#fff}.state.up{background:#2e9e5b}.state.down{background:#d64545}.state.unknown{background:#8a9099}\
        .figure{font-variant-numeric:tabular-nums;white-space:nowrap}small{color:#5b6270}.incidents li.open{color:#b42323}\
        @media (max-width:40rem){td:last-child{width:30%}small{display:block}}
        """
}
