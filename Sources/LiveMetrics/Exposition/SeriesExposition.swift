import WatchCore

/// The per-series metric families, in exposition order, and how each one reads a series.
///
/// Gauges named `probe_*` describe the latest probe, as blackbox_exporter's do (same names, same
/// `phase` values, phases exported as 0 when not reached); `ispwatch_*` families accumulate since
/// the daemon started.
enum SeriesExposition {
    /// One family and how to write one series' samples of it (none when it does not apply).
    struct Family: Sendable {
        let family: MetricFamily
        let write: @Sendable (inout ExpositionBuffer, SeriesMetrics, LatencyBuckets) -> Void

        init(_ name: String, _ kind: MetricFamily.Kind, help: String,
             write: @escaping @Sendable (inout ExpositionBuffer, SeriesMetrics, LatencyBuckets) -> Void)
        {
            family = MetricFamily(name, kind, help: help)
            self.write = write
        }

        /// A gauge with one sample per series, or none where `value` is `nil`.
        static func gauge(_ name: String, help: String, _ value: @escaping @Sendable (SeriesMetrics) -> Double?)
            -> Family
        {
            Family(name, .gauge, help: help) { buffer, metrics, _ in
                if let value = value(metrics) { buffer.sample(labels: metrics.renderedLabels, value) }
            }
        }

        /// A gauge with one sample per phase for series of `kind`.
        static func phases(_ name: String, kind: ProbeKind, _ phases: [Phase], help: String) -> Family {
            let labelled = phases.map { ($0, ExpositionText.label("phase", $0.rawValue)) }
            return Family(name, .gauge, help: help) { buffer, metrics, _ in
                guard metrics.last.kind == kind else { return }
                for (phase, label) in labelled {
                    buffer.sample(labels: metrics.renderedLabels, extra: label, metrics.last.phases[phase]?.seconds ?? 0)
                }
            }
        }
    }

    // MARK: - The families

    static let families: [Family] = common + http + dns + tcp + icmp + accumulated

    private static let common: [Family] = [
        .gauge("probe_success", help: "Whether the latest probe passed every check (1) or failed (0).") {
            $0.last.success ? 1 : 0
        },
        .gauge("probe_duration_seconds", help: "How long the latest probe took, from start to verdict.") {
            $0.last.duration.seconds
        },
        .gauge("probe_dns_lookup_time_seconds",
               help: "How long resolving the target's host name took in the latest probe.") {
            $0.last.phases.resolve?.seconds
        },
        .gauge("probe_ip_protocol", help: "The IP protocol version of the latest probe: 4 or 6.") {
            ($0.last.ipFamily ?? $0.family) == .v4 ? 4 : 6
        },
        Family("probe_failure_info", .gauge,
               help: "Why the latest probe failed, as the reason label; present only while failing.") {
            buffer, metrics, _ in
            guard let failure = metrics.last.failure else { return }
            buffer.sample(labels: metrics.renderedLabels, extra: reasonLabels[failure], 1 as UInt64)
        },
    ]

    private static let http: [Family] = [
        .phases("probe_http_duration_seconds", kind: .http, [.resolve, .connect, .tls, .processing, .transfer],
                help: "Duration of the latest HTTP probe by phase, summed over redirects; 0 when not reached."),
        .gauge("probe_http_status_code",
               help: "The status code of the latest HTTP probe's final response; 0 when none arrived.") {
            guard $0.last.kind == .http else { return nil }
            return Double($0.last.http?.statusCode ?? $0.last.code ?? 0)
        },
        .gauge("probe_http_version", help: "The HTTP version of the latest probe's final response; 0 when none.") {
            guard $0.last.kind == .http else { return nil }
            return $0.last.http?.httpVersion.flatMap(Double.init) ?? 0
        },
        .gauge("probe_http_ssl", help: "Whether the latest HTTP probe's final response came over TLS.") {
            guard $0.last.kind == .http else { return nil }
            return $0.last.http?.tlsVersion == nil ? 0 : 1
        },
        .gauge("probe_http_redirects", help: "The number of redirects the latest HTTP probe followed.") {
            $0.last.http.map { Double($0.redirects) }
        },
        .gauge("probe_http_uncompressed_body_length",
               help: "Bytes of body the latest HTTP probe received, after decompression.") {
            $0.last.http.map { Double($0.bodyBytes) }
        },
        .gauge("probe_ssl_earliest_cert_expiry",
               help: "When the earliest-expiring certificate of the peer's chain expires, in Unix seconds.") {
            $0.last.http?.certificateExpiry?.secondsSinceEpoch
        },
        Family("probe_tls_version_info", .gauge, help: "The TLS version the latest probe negotiated, as the version label.") {
            buffer, metrics, _ in
            guard let version = metrics.last.http?.tlsVersion else { return }
            buffer.sample(labels: metrics.renderedLabels, extra: ExpositionText.label("version", blackboxTLSName(version)),
                          1 as UInt64)
        },
    ]

    private static let dns: [Family] = [
        .phases("probe_dns_duration_seconds", kind: .dns, [.resolve, .connect, .request],
                help: "Duration of the latest DNS probe by phase; 0 when not reached."),
        .gauge("probe_dns_query_succeeded", help: "Whether the latest DNS probe received a reply at all.") {
            guard $0.last.kind == .dns else { return nil }
            return $0.last.dns == nil ? 0 : 1
        },
        .gauge("probe_dns_answer_rrs", help: "Records in the answer section of the latest DNS reply.") {
            guard $0.last.kind == .dns else { return nil }
            return Double($0.last.dns?.answerCount ?? 0)
        },
        .gauge("probe_dns_authority_rrs", help: "Records in the authority section of the latest DNS reply.") {
            guard $0.last.kind == .dns else { return nil }
            return Double($0.last.dns?.authorityCount ?? 0)
        },
        .gauge("probe_dns_additional_rrs", help: "Records in the additional section of the latest DNS reply.") {
            guard $0.last.kind == .dns else { return nil }
            return Double($0.last.dns?.additionalCount ?? 0)
        },
        .gauge("probe_dns_rcode",
               help: "The response code of the latest DNS reply (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED); absent without a reply.") {
            $0.last.dns.map { Double($0.rcode) }
        },
        .gauge("probe_dns_serial", help: "The SOA serial of the latest DNS reply, when it carried an SOA record.") {
            $0.last.dns?.soaSerial.map(Double.init)
        },
    ]

    private static let tcp: [Family] = [
        .phases("probe_tcp_duration_seconds", kind: .tcp, [.resolve, .connect],
                help: "Duration of the latest TCP probe by phase; 0 when not reached."),
    ]

    private static let icmp: [Family] = [
        .phases("probe_icmp_duration_seconds", kind: .icmp, [.resolve, .rtt],
                help: "Duration of the latest ICMP probe by phase, rtt being the mean over the replies; 0 when not reached."),
        .gauge("probe_icmp_reply_hop_limit", help: "The hop limit (TTL) of the latest echo reply.") {
            $0.last.icmp?.replyHopLimit.map(Double.init)
        },
        .gauge("probe_icmp_loss_ratio", help: "The fraction of echo requests of the latest ICMP probe left unanswered.") {
            guard let icmp = $0.last.icmp, icmp.sent > 0 else { return nil }
            return Double(icmp.sent - icmp.received) / Double(icmp.sent)
        },
    ]

    private static let accumulated: [Family] = [
        Family("ispwatch_probes_total", .counter, help: "Probes finished, successful or not.") { buffer, metrics, _ in
            buffer.sample(labels: metrics.renderedLabels, metrics.probes)
        },
        Family("ispwatch_probe_failures_total", .counter, help: "Probes failed, by failure reason.") {
            buffer, metrics, _ in
            for (reason, count) in metrics.failures.entries {
                buffer.sample(labels: metrics.renderedLabels, extra: reasonLabels[reason], count)
            }
        },
        Family("ispwatch_probe_latency_seconds", .histogram,
               help: "Duration of successful probes (failed probes are counted by ispwatch_probe_failures_total).") {
            buffer, metrics, buckets in
            guard !metrics.latencyCounts.isEmpty else { return }
            buffer.histogram(labels: metrics.renderedLabels, bucketLabels: buckets.labels, counts: metrics.latencyCounts,
                             sum: Double(metrics.latencySumNanoseconds) / 1e9)
        },
        .gauge("ispwatch_last_probe_timestamp_seconds", help: "When the latest probe started, in Unix seconds.") {
            $0.last.startedAt.secondsSinceEpoch
        },
    ]

    // MARK: - Label values

    private static let reasonLabels: [FailureReason: [UInt8]] = Dictionary(
        uniqueKeysWithValues: FailureReason.allCases.map { ($0, ExpositionText.label("reason", $0.rawValue)) })

    /// blackbox_exporter writes `TLS 1.3` where libcurl says `TLSv1.3`; dashboards match the former.
    static func blackboxTLSName(_ version: String) -> String {
        version.hasPrefix("TLSv") ? "TLS " + version.dropFirst(4) : version
    }
}
