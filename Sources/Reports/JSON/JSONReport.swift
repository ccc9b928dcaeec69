import Foundation
import SLAEngine
import WatchCore

/// The JSON form of a report: every figure, the incident register, the maintenance log and the
/// data-quality facts. Times are RFC 3339 in UTC, durations in seconds, shares as fractions
/// (0.995), undefined figures `null`.
public enum JSONReport {
    /// The document, pretty-printed with sorted keys, ending in a newline.
    ///
    /// - Throws: what `JSONSerialization` throws (not expected: every value is a plain JSON value).
    /// - Parameter stores: a multi-vantage report's inventory, written as `stores` when not empty.
    public static func render(_ result: SLAResult, stores: [StoreInventory] = []) throws -> String {
        var document = document(result)
        if !stores.isEmpty { document["stores"] = Self.stores(stores, of: result) }
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The document as JSON objects, for renderers that embed it.
    static func document(_ result: SLAResult) -> [String: Any] {
        let rules = result.rules
        return [
            "period": [
                "from": "\(result.period.from)", "to": "\(result.period.to)", "timezone": result.period.timeZone,
                "calendar_unit": value(result.period.calendarUnit?.rawValue),
            ],
            "rules": [
                "slice_seconds": Double(rules.sliceMillis) / 1_000, "down_share": rules.slice.downShare,
                "quorum": rules.quorum.downVantages, "incident_open_after_down_slices": rules.incident.openAfterDownSlices,
                "incident_close_after_up_slices": rules.incident.closeAfterUpSlices,
                "flapping_changes": rules.flapping.changes, "flapping_window_slices": rules.flapping.window,
                "maintenance_lead_seconds": seconds(rules.maintenanceLeadTime),
            ],
            "grouping": result.grouping.map(\.rawValue),
            "groups": result.groups.map(group),
            "objectives": result.objectives.map(objective),
            "incidents": result.incidents.map(incident),
            "flapping_episodes": result.flappingEpisodes.map { episode -> [String: Any] in
                ["target": episode.target.rawValue, "family": episode.family.rawValue, "vantage": value(episode.vantage),
                 "start": "\(episode.start)", "end": "\(episode.end)", "peak_changes": episode.peakChanges]
            },
            "maintenance": result.maintenance.map { entry -> [String: Any] in
                ["window": entry.windowID, "declared_by": value(entry.declaredBy), "reason": value(entry.reason),
                 "declared_at": "\(entry.declaredAt)", "start": "\(entry.start)", "end": "\(entry.end)",
                 "lead_seconds": seconds(entry.leadTime), "late": entry.late, "units": entry.units,
                 "slices": entry.slices, "down_slices": entry.downSlices]
            },
            "data_quality": [
                "gaps": result.dataQuality.gaps.map { gap -> [String: Any] in
                    ["series": gap.series.description, "start": "\(gap.start)", "end": "\(gap.end)", "slices": gap.slices]
                },
                "unhealthy_periods": result.dataQuality.unhealthyPeriods.map { period -> [String: Any] in
                    ["vantage": period.vantage, "start": "\(period.start)", "end": "\(period.end)"]
                },
                "prober_errors": result.dataQuality.proberErrors,
                "store_damages": result.dataQuality.storeDamages,
                "series_left_out": result.dataQuality.seriesLeftOut.map(\.description),
            ],
            "vantages": result.vantages.map { vantage -> [String: Any] in
                ["id": vantage.id, "series": vantage.series, "probes": vantage.probes, "coverage": vantage.coverage,
                 "unhealthy_slices": vantage.unhealthySlices, "unhealthy_seconds": seconds(vantage.unhealthyTime),
                 "empty_series_slices": vantage.emptySeriesSlices, "reports_health": vantage.reportsHealth]
            },
        ]
    }

    private static func group(_ group: GroupFigures) -> [String: Any] {
        var fields: [String: Any] = [:]
        for field in group.key.fields { fields[field.dimension.rawValue] = field.value }
        let probes = group.probes
        return [
            "key": fields, "units": group.units, "availability": availability(group.availability),
            "reliability": reliability(group.reliability), "latency_ms": value(group.latency.map(latency)),
            "phase_latency_ms": Dictionary(uniqueKeysWithValues: group.phaseLatency.map { ($0.key.rawValue, latency($0.value)) }),
            "probes": probes.probes, "failures": probes.failures, "failure_reasons": probes.failureReasons,
            "dns": [
                "probes": probes.dnsProbes, "failures": probes.dnsFailures,
                "failure_rate": value(probes.dnsProbes > 0 ? Double(probes.dnsFailures) / Double(probes.dnsProbes) : nil),
                "timeouts": probes.dnsTimeouts,
                "failure_rcodes": Dictionary(uniqueKeysWithValues: probes.dnsFailureRcodes.map { ("\($0.key)", $0.value) }),
            ],
            "http_statuses": Dictionary(uniqueKeysWithValues: probes.httpStatuses.map { ("\($0.key)", $0.value) }),
        ]
    }

    private static func objective(_ evaluation: ObjectiveEvaluation) -> [String: Any] {
        [
            "id": evaluation.objective.id, "provider": evaluation.objective.provider,
            "service": value(evaluation.objective.service), "objective": evaluation.objective.availability,
            "period": evaluation.objective.period.rawValue, "timezone": evaluation.objective.timeZone,
            "period_aligned": evaluation.periodAligned, "units": evaluation.units, "verdict": evaluation.verdict.rawValue,
            "availability": availability(evaluation.availability), "reliability": reliability(evaluation.reliability),
            "budget_seconds": seconds(evaluation.budget), "spent_seconds": seconds(evaluation.spent),
            "left_seconds": seconds(evaluation.left), "spent_share": value(evaluation.spentShare),
            "latency_ms": value(evaluation.latency.map(latency)),
        ]
    }

    private static func incident(_ incident: Incident) -> [String: Any] {
        [
            "id": incident.id, "target": incident.target.rawValue, "family": incident.family.rawValue,
            "vantage": value(incident.vantage), "provider": incident.provider, "service": incident.service,
            "region": incident.region, "start": "\(incident.start)", "end": value(incident.end.map { "\($0)" }),
            "open": incident.isOpen, "duration_seconds": seconds(incident.duration), "down_slices": incident.downSlices,
            "affected_vantages": incident.affectedVantages, "dominant_failure": value(incident.dominantFailure),
            "dominant_code": value(incident.dominantCode.map { Int($0) }), "failure_counts": incident.failureCounts,
            "flapping": incident.flapping, "during_late_maintenance": incident.duringLateMaintenance,
        ]
    }

    private static func availability(_ figures: AvailabilityFigures) -> [String: Any] {
        let slices = figures.slices
        return [
            "raw": value(figures.raw), "adjusted": value(figures.adjusted), "coverage": figures.coverage,
            "downtime_raw_seconds": seconds(figures.downtimeRaw), "downtime_seconds": seconds(figures.downtime),
            "maintenance_seconds": seconds(figures.maintenanceTime), "unknown_seconds": seconds(figures.unknownTime),
            "slices": [
                "total": slices.total, "up": slices.up, "down": slices.down, "unknown": slices.unknown,
                "maintenance": slices.maintenance, "up_in_maintenance": slices.upInMaintenance,
                "down_in_maintenance": slices.downInMaintenance, "down_in_late_maintenance": slices.downInLateMaintenance,
            ],
        ]
    }

    private static func reliability(_ figures: ReliabilityFigures) -> [String: Any] {
        [
            "incidents": figures.incidents, "closed_incidents": figures.closedIncidents,
            "mttr_seconds": value(figures.mttr.map(seconds)), "mtbf_seconds": value(figures.mtbf.map(seconds)),
            "longest_outage_seconds": value(figures.longestOutage.map(seconds)), "flapping_episodes": figures.flappingEpisodes,
        ]
    }

    private static func latency(_ figures: LatencyFigures) -> [String: Any] {
        ["count": figures.count, "mean": figures.mean, "p50": figures.p50, "p95": figures.p95, "p99": figures.p99,
         "max": figures.max]
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func value(_ optional: Any?) -> Any { optional ?? NSNull() }
}
