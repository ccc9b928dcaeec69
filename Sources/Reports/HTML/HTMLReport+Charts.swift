import Foundation
import SLAEngine
import WatchCore

extension HTMLReport {
    /// Availability per bucket and latency over time per provider, then the incident timeline.
    func charts() -> String {
        var html = "<section id=\"charts\">\n<h2>Over time</h2>\n"
        if let breakdown, !breakdown.buckets.isEmpty {
            let step = breakdown.unit == .day ? "day" : "hour"
            let perBucket = breakdown.buckets.map { (period: $0.period, rollups: ProviderRollup.of($0.groups)) }
            let providers = Set(perBucket.flatMap { $0.rollups.map(\.provider) }).sorted()
            html += "<p class=\"legend\"><span><i style=\"background:#1565c0\"></i>p50</span><span><i style=\"background:#ef6c00\">"
                + "</i>p95</span><span><i style=\"background:#c62828\"></i>p99</span><span><i style=\"background:#555\"></i>mean"
                + "</span><span>dashed red: reference</span></p>\n"
            for provider in providers {
                let name = providerName(provider)
                let bars = perBucket.map { bucket -> AvailabilityBarChart.Bar in
                    let rollup = bucket.rollups.first { $0.provider == provider }
                    return AvailabilityBarChart.Bar(
                        label: label(bucket.period.from, unit: breakdown.unit), tooltip: local(bucket.period.from),
                        availability: rollup?.availability(sliceMillis: result.rules.sliceMillis).adjusted)
                }
                let points = perBucket.map { bucket in
                    LatencyLineChart.Point(
                        label: label(bucket.period.from, unit: breakdown.unit),
                        latency: bucket.rollups.first { $0.provider == provider }?.latencyFigures)
                }
                html += "<h3>\(name.htmlEscaped)</h3>\n<div class=\"charts\">\n"
                html += "<figure><figcaption>Availability per \(step) (maintenance-adjusted)</figcaption>"
                html += AvailabilityBarChart(title: "Availability per \(step), \(name)", bars: bars,
                                             threshold: thresholds.availability).render()
                html += "</figure>\n<figure><figcaption>Latency per \(step): p50, p95, p99 and mean</figcaption>"
                html += LatencyLineChart(title: "Latency per \(step), \(name)", points: points,
                                         referenceMilliseconds: thresholds.meanLatencyMilliseconds).render()
                html += "</figure>\n</div>\n"
            }
        }
        html += "<h3>Incident timeline</h3>\n<figure>"
        let ticks = (breakdown?.buckets ?? []).map { IncidentTimelineChart.Tick(at: $0.period.from, label: label($0.period.from, unit: breakdown?.unit ?? .day)) }
        let every = max(1, Int((Double(ticks.count) / 10).rounded(.up)))
        html += IncidentTimelineChart(
            period: result.period, incidents: result.incidents, maintenance: result.maintenance,
            ticks: ticks.enumerated().filter { $0.offset % every == 0 }.map(\.element),
            describe: { incident in
                "\(incident.id): \(local(incident.start)) → \(incident.end.map(local) ?? "open"), "
                    + ReportFormatting.duration(incident.duration)
            }
        ).render()
        html += "<figcaption class=\"note\">Red: incident · dark red: still open at the end · orange: flapping · "
            + "blue band: maintenance declared in time · orange band: late maintenance</figcaption></figure>\n"
        return html + "</section>\n"
    }

    /// `02-05` for a day, `02-05 14h` for an hour, in the period's timezone.
    private func label(_ timestamp: Timestamp, unit: BreakdownUnit) -> String {
        let text = local(timestamp)   // 2027-02-05 14:00
        let day = String(text.dropFirst(5).prefix(5))
        return unit == .day ? day : day + " " + String(text.dropFirst(11).prefix(2)) + "h"
    }
}
