import Foundation
import SLAEngine
import WatchCore

/// Renders a query's answer as a text table, JSON or CSV.
enum QueryOutput {
    static let quantiles: [(name: String, q: Double)] = [("p50", 0.5), ("p95", 0.95), ("p99", 0.99)]

    static func render(_ answer: FigureAnswer, incidents: Bool, format: QueryCommand.Format) -> String {
        incidents ? renderIncidents(answer.incidents, format) : renderRows(answer.rows, format)
    }

    private static func time(_ millis: Int64?) -> String {
        millis.map { Timestamp(millisecondsSinceEpoch: $0).description } ?? ""
    }

    private static func number(_ value: Double?, _ digits: Int = 3) -> String {
        value.map { String(format: "%.\(digits)f", $0) } ?? ""
    }

    private static func renderRows(_ rows: [FigureRow], _ format: QueryCommand.Format) -> String {
        switch format {
        case .csv:
            var out = "group,bucket_start,bucket_start_ms,results,successes,up_slices,down_slices,unknown_slices,availability,coverage,p50_us,p95_us,p99_us,max_us,mean_us\n"
            for row in rows {
                let fields = [csv(row.group), time(row.bucketStartMillis), row.bucketStartMillis.map(String.init) ?? "",
                              "\(row.results)", "\(row.successes)", "\(row.upSlices)", "\(row.downSlices)", "\(row.unknownSlices)",
                              number(row.availability, 9), number(row.coverage, 9)]
                    + quantiles.map { number(row.latencyQuantile($0.q), 1) }
                    + [number(row.latency.isEmpty ? nil : row.latency.max, 1), number(mean(row), 1)]
                out += fields.joined(separator: ",") + "\n"
            }
            return out
        case .json:
            let objects: [[String: Any]] = rows.map { row in
                var object: [String: Any] = [
                    "group": row.group, "results": row.results, "successes": row.successes,
                    "up_slices": row.upSlices, "down_slices": row.downSlices, "unknown_slices": row.unknownSlices,
                    "bucket_start_ms": row.bucketStartMillis.map { $0 as Any } ?? NSNull(),
                    "availability": row.availability.map { $0 as Any } ?? NSNull(),
                    "coverage": row.coverage.map { $0 as Any } ?? NSNull(),
                    "max_us": row.latency.isEmpty ? NSNull() : row.latency.max as Any,
                    "mean_us": mean(row).map { $0 as Any } ?? NSNull(),
                ]
                for (name, q) in quantiles { object["\(name)_us"] = row.latencyQuantile(q).map { $0 as Any } ?? NSNull() }
                return object
            }
            return json(["rows": objects])
        case .text:
            var out = pad("group", 24) + pad("bucket", 22) + pad("results", 11, right: true) + pad("avail %", 10, right: true)
                + pad("cover %", 9, right: true) + pad("p50 ms", 9, right: true) + pad("p95 ms", 9, right: true)
                + pad("p99 ms", 9, right: true) + "\n"
            for row in rows {
                out += pad(row.group, 24) + pad(row.bucketStartMillis.map { time($0) } ?? "all", 22)
                    + pad("\(row.results)", 11, right: true)
                    + pad(number(row.availability.map { $0 * 100 }, 3), 10, right: true)
                    + pad(number(row.coverage.map { $0 * 100 }, 1), 9, right: true)
                    + quantiles.map { pad(number(row.latencyQuantile($0.q).map { $0 / 1_000 }, 2), 9, right: true) }.joined()
                    + "\n"
            }
            return out
        }
    }

    private static func renderIncidents(_ incidents: [IncidentRecord], _ format: QueryCommand.Format) -> String {
        switch format {
        case .csv:
            var out = "target,vantage,family,start,end,start_ms,end_ms,duration_s\n"
            for incident in incidents {
                out += [csv(incident.target), csv(incident.vantage), incident.family.rawValue, time(incident.startMillis),
                        time(incident.endMillis), "\(incident.startMillis)", incident.endMillis.map(String.init) ?? "",
                        incident.endMillis.map { "\(($0 - incident.startMillis) / 1_000)" } ?? ""].joined(separator: ",") + "\n"
            }
            return out
        case .json:
            return json(["incidents": incidents.map { incident -> [String: Any] in
                ["target": incident.target, "vantage": incident.vantage, "family": incident.family.rawValue,
                 "start_ms": incident.startMillis, "end_ms": incident.endMillis.map { $0 as Any } ?? NSNull()]
            }])
        case .text:
            var out = pad("target", 24) + pad("vantage", 14) + pad("start", 26) + pad("end", 26) + "duration\n"
            for incident in incidents {
                let duration = incident.endMillis.map { "\(($0 - incident.startMillis) / 60_000) min" } ?? "open"
                out += pad(incident.target, 24) + pad("\(incident.vantage)/\(incident.family.rawValue)", 14)
                    + pad(time(incident.startMillis), 26) + pad(incident.endMillis.map { time($0) } ?? "-", 26) + duration + "\n"
            }
            return out
        }
    }

    private static func mean(_ row: FigureRow) -> Double? {
        row.latency.isEmpty ? nil : row.latency.sum / Double(row.latency.count)
    }

    private static func csv(_ field: String) -> String {
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(1, width - text.count))
        return right ? padding + text : text + padding
    }

    private static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
