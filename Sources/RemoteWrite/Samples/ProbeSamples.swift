import LiveMetrics
import WatchCore

/// What one probe result becomes in remote-write: the `probe_*` gauges of `/metrics`, with the same
/// names, `phase` and `reason` values and the same six series labels, each as ONE sample stamped with
/// the probe's start time.
///
/// Stamping with the start (not with when the result was sent) puts a probe in the slice it measured,
/// which is what `ispwatch report` does, so that PromQL over these samples and the report agree. The
/// accumulated families of `/metrics` (counters, the histogram) are left out: they describe a process
/// since its start, while a remote series must outlive restarts; `count_over_time` and
/// `sum_over_time` over `probe_success` give the same figures.
public enum ProbeSamples {
    /// The samples of `result`, a probe of the series with `labels`.
    public static func samples(of result: ProbeResult, labels: SeriesLabels) -> [RemoteSample] {
        let base = [
            RemoteLabel("target", labels.target), RemoteLabel("provider", labels.provider),
            RemoteLabel("service", labels.service), RemoteLabel("kind", labels.kind.rawValue),
            RemoteLabel("ip_family", labels.ipFamily.rawValue), RemoteLabel("vantage", labels.vantage),
        ]
        let time = result.startedAt.nanosecondsSinceEpoch / 1_000_000
        var samples: [RemoteSample] = []
        samples.reserveCapacity(12)
        func add(_ name: String, _ value: Double, _ extra: RemoteLabel? = nil) {
            var labels = base
            labels.append(RemoteLabel("__name__", name))
            if let extra { labels.append(extra) }
            samples.append(RemoteSample(labels: labels, value: value, timestampMilliseconds: time))
        }

        add("probe_success", result.success ? 1 : 0)
        add("probe_duration_seconds", result.duration.seconds)
        add("probe_ip_protocol", (result.ipFamily ?? labels.ipFamily) == .v4 ? 4 : 6)
        if let resolve = result.phases.resolve { add("probe_dns_lookup_time_seconds", resolve.seconds) }
        if let failure = result.failure { add("probe_failure_info", 1, RemoteLabel("reason", failure.rawValue)) }
        if let (family, phases) = phaseFamily[result.kind] {
            // As on /metrics (and in blackbox_exporter), every phase of the kind, 0 when not reached.
            for phase in phases { add(family, result.phases[phase]?.seconds ?? 0, RemoteLabel("phase", phase.rawValue)) }
        }
        switch result.kind {
        case .http:
            let detail: HTTPProbeDetail? = if case .http(let detail) = result.detail { detail } else { nil }
            add("probe_http_status_code", Double(detail?.statusCode ?? result.code ?? 0))
        case .dns:
            if case .dns(let detail) = result.detail { add("probe_dns_rcode", Double(detail.rcode)) }
        case .tcp, .icmp:
            break
        }
        return samples
    }

    /// The phase gauge of each kind and its phases, as `/metrics` exports them.
    static let phaseFamily: [ProbeKind: (String, [Phase])] = [
        .http: ("probe_http_duration_seconds", [.resolve, .connect, .tls, .processing, .transfer]),
        .dns: ("probe_dns_duration_seconds", [.resolve, .connect, .request]),
        .tcp: ("probe_tcp_duration_seconds", [.resolve, .connect]),
        .icmp: ("probe_icmp_duration_seconds", [.resolve, .rtt]),
    ]
}
