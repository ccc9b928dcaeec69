import SLAEngine
import WatchCore

/// The CSV form of a report, one table per file (see ``CSVTable``), for spreadsheets: a header row,
/// then one row per item. Shares are fractions (0.995), durations seconds, latencies milliseconds,
/// times RFC 3339 in UTC; an undefined figure is an empty cell.
public struct CSVReport: Sendable {
    /// The figures.
    public var result: SLAResult
    /// Figures per hour or day, for ``CSVTable/daily``; `nil` leaves that table with its header only.
    public var breakdown: SLABreakdown?
    /// The stores read, for ``CSVTable/stores``.
    public var stores: [StoreInventory]

    /// A report of `result`, with `breakdown` for the daily table and `stores` for the stores table.
    public init(result: SLAResult, breakdown: SLABreakdown? = nil, stores: [StoreInventory] = []) {
        self.result = result
        self.breakdown = breakdown
        self.stores = stores
    }

    /// One table as RFC 4180 text (CRLF line ends).
    public func render(_ table: CSVTable) -> String {
        var writer = CSVWriter()
        switch table {
        case .groups: groups(into: &writer)
        case .objectives: objectives(into: &writer)
        case .incidents: incidents(into: &writer)
        case .maintenance: maintenance(into: &writer)
        case .daily: daily(into: &writer)
        case .vantages: vantages(into: &writer)
        case .gaps: gaps(into: &writer)
        case .stores: stores(into: &writer)
        }
        return writer.text
    }

    // MARK: - Tables

    private static let availabilityHeader = [
        "availability_raw", "availability_adjusted", "coverage", "downtime_raw_seconds", "downtime_seconds",
        "maintenance_seconds", "unknown_seconds", "slices_total", "slices_up", "slices_down", "slices_unknown",
        "slices_maintenance", "slices_up_in_maintenance", "slices_down_in_maintenance", "slices_down_in_late_maintenance",
    ]
    private static let reliabilityHeader = [
        "incidents", "closed_incidents", "mttr_seconds", "mtbf_seconds", "longest_outage_seconds", "flapping_episodes",
    ]
    private static let latencyHeader = [
        "latency_count", "latency_mean_ms", "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "latency_max_ms",
    ]

    private func groups(into writer: inout CSVWriter) {
        let dimensions = result.grouping.sorted()
        writer.append(dimensions.map(\.rawValue) + ["units"] + Self.availabilityHeader + Self.reliabilityHeader
            + Self.latencyHeader + ["probes", "failures", "dns_probes", "dns_failures", "dns_timeouts", "failure_reasons",
                                    "dns_failure_rcodes", "http_statuses"])
        for group in result.groups {
            let probes = group.probes
            writer.append(dimensions.map { group.key[$0] ?? "" } + ["\(group.units)"] + availability(group.availability)
                + reliability(group.reliability) + latency(group.latency)
                + ["\(probes.probes)", "\(probes.failures)", "\(probes.dnsProbes)", "\(probes.dnsFailures)",
                   "\(probes.dnsTimeouts)", counts(probes.failureReasons), counts(probes.dnsFailureRcodes),
                   counts(probes.httpStatuses)])
        }
    }

    private func objectives(into writer: inout CSVWriter) {
        writer.append(["id", "provider", "service", "objective", "period", "timezone", "period_aligned", "units", "verdict",
                       "achieved", "budget_seconds", "spent_seconds", "left_seconds", "spent_share"]
            + Self.availabilityHeader + Self.reliabilityHeader + Self.latencyHeader)
        for evaluation in result.objectives {
            let objective = evaluation.objective
            writer.append([
                objective.id, objective.provider, objective.service ?? "", number(objective.availability),
                objective.period.rawValue, objective.timeZone, "\(evaluation.periodAligned)", "\(evaluation.units)",
                evaluation.verdict.rawValue, number(evaluation.availability.adjusted), seconds(evaluation.budget),
                seconds(evaluation.spent), seconds(evaluation.left), number(evaluation.spentShare),
            ] + availability(evaluation.availability) + reliability(evaluation.reliability) + latency(evaluation.latency))
        }
    }

    private func incidents(into writer: inout CSVWriter) {
        writer.append(["id", "provider", "service", "region", "target", "family", "vantage", "start", "end", "open",
                       "duration_seconds", "down_slices", "affected_vantages", "dominant_failure", "dominant_code",
                       "failure_counts", "flapping", "during_late_maintenance"])
        for incident in result.incidents {
            writer.append([
                incident.id, incident.provider, incident.service, incident.region, incident.target.rawValue,
                incident.family.rawValue, incident.vantage ?? "", "\(incident.start)", incident.end.map { "\($0)" } ?? "",
                "\(incident.isOpen)", seconds(incident.duration), "\(incident.downSlices)",
                incident.affectedVantages.joined(separator: " "), incident.dominantFailure ?? "",
                incident.dominantCode.map { "\($0)" } ?? "", counts(incident.failureCounts), "\(incident.flapping)",
                "\(incident.duringLateMaintenance)",
            ])
        }
    }

    private func maintenance(into writer: inout CSVWriter) {
        writer.append(["window", "declared_by", "reason", "declared_at", "start", "end", "lead_seconds", "late", "units",
                       "slices", "down_slices"])
        for entry in result.maintenance {
            writer.append([
                entry.windowID, entry.declaredBy ?? "", entry.reason ?? "", "\(entry.declaredAt)", "\(entry.start)",
                "\(entry.end)", seconds(entry.leadTime), "\(entry.late)", "\(entry.units)", "\(entry.slices)",
                "\(entry.downSlices)",
            ])
        }
    }

    private func daily(into writer: inout CSVWriter) {
        let dimensions = result.grouping.sorted()
        writer.append(["start", "end"] + dimensions.map(\.rawValue) + ["units"] + Self.availabilityHeader
            + Self.latencyHeader + ["probes", "failures"])
        for bucket in breakdown?.buckets ?? [] {
            for group in bucket.groups {
                writer.append(["\(bucket.period.from)", "\(bucket.period.to)"] + dimensions.map { group.key[$0] ?? "" }
                    + ["\(group.units)"] + availability(group.availability) + latency(group.latency) + ["\(group.probes.probes)", "\(group.probes.failures)"])
            }
        }
    }

    private func vantages(into writer: inout CSVWriter) {
        writer.append(["vantage", "series", "probes", "coverage", "unhealthy_slices", "unhealthy_seconds",
                       "empty_series_slices", "reports_health"])
        for vantage in result.vantages {
            writer.append([
                vantage.id, "\(vantage.series)", "\(vantage.probes)", number(vantage.coverage), "\(vantage.unhealthySlices)",
                seconds(vantage.unhealthyTime), "\(vantage.emptySeriesSlices)", "\(vantage.reportsHealth)",
            ])
        }
    }

    private func gaps(into writer: inout CSVWriter) {
        writer.append(["kind", "target", "vantage", "family", "start", "end", "slices", "seconds"])
        let width = result.rules.sliceMillis
        for gap in result.dataQuality.gaps {
            writer.append([
                "gap", gap.series.target.rawValue, gap.series.vantage, gap.series.family.rawValue, "\(gap.start)",
                "\(gap.end)", "\(gap.slices)", seconds(.milliseconds(Int64(gap.slices) * width)),
            ])
        }
        for period in result.dataQuality.unhealthyPeriods {
            let length = period.start.duration(to: period.end)
            writer.append([
                "unhealthy_vantage", "", period.vantage, "", "\(period.start)", "\(period.end)",
                "\(length.components.seconds * 1_000 / width)", seconds(length),
            ])
        }
    }

    // MARK: - Cells

    private func availability(_ figures: AvailabilityFigures) -> [String] {
        let slices = figures.slices
        return [
            number(figures.raw), number(figures.adjusted), number(figures.coverage), seconds(figures.downtimeRaw),
            seconds(figures.downtime), seconds(figures.maintenanceTime), seconds(figures.unknownTime), "\(slices.total)",
            "\(slices.up)", "\(slices.down)", "\(slices.unknown)", "\(slices.maintenance)", "\(slices.upInMaintenance)",
            "\(slices.downInMaintenance)", "\(slices.downInLateMaintenance)",
        ]
    }

    private func reliability(_ figures: ReliabilityFigures) -> [String] {
        [
            "\(figures.incidents)", "\(figures.closedIncidents)", figures.mttr.map(seconds) ?? "",
            figures.mtbf.map(seconds) ?? "", figures.longestOutage.map(seconds) ?? "", "\(figures.flappingEpisodes)",
        ]
    }

    private func latency(_ figures: LatencyFigures?) -> [String] {
        guard let figures else { return Array(repeating: "", count: Self.latencyHeader.count) }
        return ["\(figures.count)", number(figures.mean), number(figures.p50), number(figures.p95), number(figures.p99),
                number(figures.max)]
    }

    /// `name=count` pairs in key order, separated by spaces (one cell).
    private func counts<Key: Comparable>(_ counts: [Key: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    private func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }

    private func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        guard attoseconds != 0 else { return "\(whole)" }
        return "\(Double(whole) + Double(attoseconds) / 1e18)"
    }
}
