import LiveMetrics
import Scheduling
import Testing
import WatchCore

@Suite struct ProbeMetricsTests {
    private func parsed(_ metrics: ProbeMetrics) throws -> ParsedExposition {
        try ParsedExposition(metrics.renderText())
    }

    private let portal = ProbeResults.labels("viettel-portal", kind: .http)
    private let portalKey = ProbeResults.key("viettel-portal")

    // MARK: - Latest probe

    @Test func successAndStatusCodeFollowTheLatestProbe() throws {
        let metrics = ProbeMetrics()
        metrics.record(ProbeResults.httpsSuccess(), series: portalKey, labels: portal)
        var exposition = try parsed(metrics)
        #expect(try exposition.value("probe_success", ["target": "viettel-portal"]) == 1)
        #expect(try exposition.value("probe_http_status_code", ["target": "viettel-portal"]) == 200)
        #expect(exposition.samples("probe_failure_info").isEmpty)

        var failing = ProbeResults.httpServiceUnavailable()
        failing.target = "viettel-portal"
        metrics.record(failing, series: portalKey, labels: portal)
        exposition = try parsed(metrics)
        #expect(try exposition.value("probe_success", ["target": "viettel-portal"]) == 0)
        #expect(try exposition.value("probe_http_status_code", ["target": "viettel-portal"]) == 503)
        #expect(try exposition.value("probe_failure_info", ["target": "viettel-portal", "reason": "http_status"]) == 1)
        #expect(try exposition.value("ispwatch_probes_total", ["target": "viettel-portal"]) == 2)
        #expect(try exposition.value("ispwatch_probe_failures_total", ["reason": "http_status"]) == 1)
        #expect(try exposition.value("probe_http_version") == 2)
        #expect(try exposition.value("probe_duration_seconds") == 0.007)
        #expect(try exposition.value("probe_ip_protocol") == 6)
    }

    @Test func everySeriesCarriesItsSixLabels() throws {
        let exposition = try parsed(ProbeResults.registryOfEveryKind())
        let expected = ["target", "provider", "service", "kind", "ip_family", "vantage"]
        let perSeries = exposition.samples.filter {
            $0.name.hasPrefix("probe_") || $0.name.hasPrefix("ispwatch_probe_") || $0.name == "ispwatch_probes_total"
                || $0.name == "ispwatch_last_probe_timestamp_seconds"
        }
        #expect(perSeries.count > 50)
        for sample in perSeries {
            #expect(expected.allSatisfy { sample.labels[$0] != nil }, "\(sample)")
        }
        #expect(try exposition.value("probe_success", ["target": "mobifone-gw", "kind": "icmp", "ip_family": "v4",
                                                       "provider": "mobifone", "service": "gateway",
                                                       "vantage": "hanoi-vnpt-1"]) == 0)
    }

    @Test func httpPhasesUseBlackboxValuesAndZeroForPhasesNotReached() throws {
        let exposition = try parsed(ProbeResults.registryOfEveryKind())
        let up = exposition.samples("probe_http_duration_seconds", ["target": "viettel-portal"])
        #expect(Set(up.compactMap { $0.labels["phase"] }) == ["resolve", "connect", "tls", "processing", "transfer"])
        #expect(try exposition.value("probe_http_duration_seconds", ["target": "viettel-portal", "phase": "tls"]) == 0.001897)
        #expect(try exposition.value("probe_http_duration_seconds", ["target": "vnpt-portal", "phase": "tls"]) == 0)
        #expect(try exposition.value("probe_dns_lookup_time_seconds", ["target": "viettel-portal"]) == 0.000012)
        // Not measured for the 503 (an IP literal): no lookup time rather than a made-up zero.
        #expect(exposition.samples("probe_dns_lookup_time_seconds", ["target": "vnpt-portal"]).isEmpty)
    }

    @Test func tlsFactsOfAnHTTPSProbe() throws {
        let exposition = try parsed(ProbeResults.registryOfEveryKind())
        #expect(try exposition.value("probe_ssl_earliest_cert_expiry") == ProbeResults.certificateExpiry.secondsSinceEpoch)
        #expect(try exposition.value("probe_tls_version_info", ["target": "viettel-portal", "version": "TLS 1.3"]) == 1)
        #expect(try exposition.value("probe_http_ssl", ["target": "viettel-portal"]) == 1)
        #expect(try exposition.value("probe_http_ssl", ["target": "vnpt-portal"]) == 0)
        #expect(try exposition.value("probe_http_redirects", ["target": "viettel-portal"]) == 1)
    }

    @Test(arguments: [(0, 1.0), (3, 0.0), (5, 0.0)])
    func dnsRcodeAndSectionCounts(rcode: Int, success: Double) throws {
        let metrics = ProbeMetrics()
        let key = ProbeResults.key("viettel-dns-hn-1")
        let labels = ProbeResults.labels("viettel-dns-hn-1", service: "dns", kind: .dns)
        metrics.record(ProbeResults.dnsAnswer(rcode: rcode, answers: rcode == 0 ? 2 : 0), series: key, labels: labels)
        let exposition = try parsed(metrics)
        #expect(try exposition.value("probe_dns_rcode") == Double(rcode))
        #expect(try exposition.value("probe_success") == success)
        #expect(try exposition.value("probe_dns_answer_rrs") == (rcode == 0 ? 2 : 0))
        #expect(try exposition.value("probe_dns_additional_rrs") == 1)
        #expect(try exposition.value("probe_dns_query_succeeded") == 1)
        #expect(try exposition.value("probe_dns_serial") == 2_026_112_401)
        #expect(try exposition.value("probe_dns_duration_seconds", ["phase": "request"]) == 0.0029)
    }

    @Test func dnsTimeoutHasNoRcodeAndNoReply() throws {
        let metrics = ProbeMetrics()
        metrics.record(ProbeResults.dnsTimeout(), series: ProbeResults.key("viettel-dns-hn-1"),
                       labels: ProbeResults.labels("viettel-dns-hn-1", service: "dns", kind: .dns))
        let exposition = try parsed(metrics)
        #expect(exposition.samples("probe_dns_rcode").isEmpty)
        #expect(try exposition.value("probe_dns_query_succeeded") == 0)
        #expect(try exposition.value("probe_failure_info", ["reason": "dns_timeout"]) == 1)
    }

    @Test func icmpAndTCPFigures() throws {
        let exposition = try parsed(ProbeResults.registryOfEveryKind())
        #expect(try exposition.value("probe_icmp_duration_seconds", ["phase": "rtt"]) == 0.000061)
        #expect(try exposition.value("probe_icmp_reply_hop_limit") == 64)
        #expect(try abs(exposition.value("probe_icmp_loss_ratio") - 1.0 / 3) < 1e-12)
        #expect(try exposition.value("probe_failure_info", ["target": "mobifone-gw"]) == 1)
        #expect(try exposition.value("probe_tcp_duration_seconds", ["phase": "connect"]) == 0.000095)
        #expect(try exposition.value("probe_success", ["target": "fpt-smtp"]) == 1)
    }

    // MARK: - Counters and histogram

    @Test func failuresAreCountedPerReason() throws {
        let metrics = ProbeMetrics()
        let key = ProbeResults.key("viettel-dns-hn-1")
        let labels = ProbeResults.labels("viettel-dns-hn-1", service: "dns", kind: .dns)
        for rcode in [0, 2, 2, 3, 0, 2] { metrics.record(ProbeResults.dnsAnswer(rcode: rcode), series: key, labels: labels) }
        metrics.record(ProbeResults.dnsTimeout(), series: key, labels: labels)
        let exposition = try parsed(metrics)
        #expect(try exposition.value("ispwatch_probes_total") == 7)
        #expect(try exposition.value("ispwatch_probe_failures_total", ["reason": "dns_servfail"]) == 3)
        #expect(try exposition.value("ispwatch_probe_failures_total", ["reason": "dns_nxdomain"]) == 1)
        #expect(try exposition.value("ispwatch_probe_failures_total", ["reason": "dns_timeout"]) == 1)
        #expect(exposition.samples("ispwatch_probe_failures_total").count == 3)
    }

    @Test func latencyHistogramIsCumulativeAndCountsSuccessfulProbes() throws {
        let metrics = ProbeMetrics(latencyBuckets: [.milliseconds(10), .milliseconds(50), .milliseconds(250)])
        let durations: [Duration] = [.milliseconds(3), .milliseconds(10), .milliseconds(11), .milliseconds(49),
                                     .milliseconds(200), .seconds(1), .seconds(4)]
        for duration in durations {
            metrics.record(ProbeResults.httpsSuccess(duration: duration), series: portalKey, labels: portal)
        }
        metrics.record(ProbeResults.httpServiceUnavailable(), series: portalKey, labels: portal)
        let exposition = try parsed(metrics)

        let buckets = exposition.samples("ispwatch_probe_latency_seconds_bucket")
        #expect(buckets.map { $0.labels["le"] } == ["0.01", "0.05", "0.25", "+Inf"])
        let expected = ["0.01": 2.0, "0.05": 4, "0.25": 5, "+Inf": 7]
        for bucket in buckets { #expect(bucket.value == expected[bucket.labels["le"]!]) }
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.value <= $1.value })
        #expect(try exposition.value("ispwatch_probe_latency_seconds_count") == Double(durations.count))
        #expect(try exposition.value("ispwatch_probe_latency_seconds_count") == buckets.last?.value)
        #expect(try abs(exposition.value("ispwatch_probe_latency_seconds_sum") - durations.map(\.seconds).reduce(0, +)) < 1e-9)
        #expect(try exposition.value("ispwatch_probes_total") == Double(durations.count + 1))
    }

    @Test func histogramIsLeftOutWithoutBuckets() throws {
        let metrics = ProbeMetrics(latencyBuckets: [])
        metrics.record(ProbeResults.httpsSuccess(), series: portalKey, labels: portal)
        let text = metrics.renderText()
        #expect(!text.contains("ispwatch_probe_latency_seconds"))
        #expect(try ParsedExposition(text).value("ispwatch_probes_total") == 1)
    }

    @Test func bucketsAreSortedAndDeduplicated() {
        let metrics = ProbeMetrics(latencyBuckets: [.seconds(1), .milliseconds(5), .seconds(1), .zero])
        #expect(metrics.latencyBuckets == [.milliseconds(5), .seconds(1)])
    }

    // MARK: - Labels and series

    @Test func labelValuesAreEscaped() throws {
        let metrics = ProbeMetrics()
        let provider = "a \"quoted\" \\ provider\nsecond line"
        metrics.record(ProbeResults.tcpConnect(), series: ProbeResults.key("odd"),
                       labels: ProbeResults.labels("odd", provider: provider, kind: .tcp))
        let text = metrics.renderText()
        #expect(text.contains(#"provider="a \"quoted\" \\ provider\nsecond line""#))
        // One line per sample: the newline in the value did not split one.
        #expect(!text.contains("\nsecond line"))
        #expect(try ParsedExposition(text).value("probe_success", ["target": "odd"]) == 1)
        #expect(try ParsedExposition(text).samples("probe_success").first?.labels["provider"] == provider)
    }

    @Test func retainOnlyRemovesSeriesNoLongerConfigured() throws {
        let metrics = ProbeResults.registryOfEveryKind()
        #expect(metrics.seriesCount == 5)
        metrics.retainOnly([ProbeResults.key("viettel-portal"), ProbeResults.key("fpt-smtp"), ProbeResults.key("gone")])
        #expect(metrics.seriesCount == 2)
        let exposition = try parsed(metrics)
        #expect(Set(exposition.samples("probe_success").compactMap { $0.labels["target"] }) == ["viettel-portal", "fpt-smtp"])
        #expect(exposition.samples.allSatisfy { $0.labels["target"] != "vnpt-portal" })
        #expect(exposition.samples("probe_dns_rcode").isEmpty)
        #expect(try exposition.value("ispwatch_metrics_series") == 2)
        // The kept series still record.
        metrics.record(ProbeResults.tcpConnect(refused: true), series: ProbeResults.key("fpt-smtp"),
                       labels: ProbeResults.labels("fpt-smtp", provider: "fpt", service: "mail", kind: .tcp))
        #expect(try parsed(metrics).value("ispwatch_probes_total", ["target": "fpt-smtp"]) == 2)
    }

    @Test func changedLabelsReplaceTheOldOnes() throws {
        let metrics = ProbeMetrics()
        metrics.record(ProbeResults.httpsSuccess(), series: portalKey, labels: portal)
        var moved = portal
        moved.service = "billing"
        metrics.record(ProbeResults.httpsSuccess(), series: portalKey, labels: moved)
        let exposition = try parsed(metrics)
        #expect(exposition.samples("probe_success").map { $0.labels["service"] } == ["billing"])
        #expect(try exposition.value("ispwatch_probes_total") == 2)
    }

    @Test func everyFamilyAppearsOnceWithHelpAndItsSamplesTogether() throws {
        let metrics = ProbeResults.registryOfEveryKind()
        metrics.record(ProbeResults.dnsTimeout(), series: ProbeResults.key("viettel-dns-hn-1"),
                       labels: ProbeResults.labels("viettel-dns-hn-1", service: "dns", kind: .dns))
        let exposition = try parsed(metrics)
        let families = exposition.typeLines.map(\.family)
        #expect(families.count == Set(families).count, "a family was written twice")
        #expect(exposition.helpLines == families)
        var finished: Set<String> = []
        var current: String?
        for sample in exposition.samples {
            let family = exposition.family(of: sample)
            #expect(families.contains(family), "\(sample.name) has no TYPE")
            if family != current {
                #expect(!finished.contains(family), "\(family) is split")
                if let current { finished.insert(current) }
                current = family
            }
        }
        #expect(families.count > 40)
    }

    @Test func labelsComeFromTheConfiguredTarget() {
        let target = Target(id: "viettel-portal", provider: "viettel", service: "portal", interval: .seconds(30),
                            timeout: .seconds(5), ipFamilies: .both,
                            spec: .http(HTTPProbeSpec(url: "https://portal.viettel.test/")))
        let key = SeriesKey(target: target.id, vantage: "hanoi-vnpt-1", family: .v6)
        #expect(SeriesLabels(target: target, series: key)
            == SeriesLabels(target: "viettel-portal", provider: "viettel", service: "portal", kind: .http, ipFamily: .v6,
                            vantage: "hanoi-vnpt-1"))
    }

    @Test(arguments: [1, 100, 4096, 256 * 1024])
    func piecesJoinIntoTheWholeExposition(chunkSize: Int) {
        let metrics = ProbeResults.registryOfEveryKind()
        var joined: [UInt8] = []
        var pieces = 0
        for piece in metrics.exposition(chunkSize: chunkSize) {
            // Every piece but the last reaches the asked size.
            #expect(pieces == 0 || joined.count >= chunkSize * pieces)
            joined += piece.readableBytesView
            pieces += 1
        }
        #expect(joined == metrics.render())
        #expect(chunkSize >= joined.count ? pieces == 1 : pieces > 1)
    }

    @Test func anEmptyRegistryStillExportsRuntimeFigures() throws {
        let exposition = try parsed(ProbeMetrics())
        #expect(exposition.samples("probe_success").isEmpty)
        #expect(try exposition.value("ispwatch_metrics_series") == 0)
        #expect(try exposition.value("ispwatch_build_info", ["version": "unknown"]) == 1)
    }

    // MARK: - Runtime

    @Test func runtimeFiguresAreExported() throws {
        let exposition = try parsed(ProbeResults.registryOfEveryKind())
        let statistics = SchedulerStatisticsFixture.make()
        #expect(try exposition.value("ispwatch_build_info", ["version": "0.1.0"]) == 1)
        #expect(try exposition.value("process_start_time_seconds") == ProbeResults.start.secondsSinceEpoch)
        #expect(try exposition.value("ispwatch_scheduler_slots_due_total") == Double(statistics.slotsDue))
        #expect(try exposition.value("ispwatch_scheduler_probes_started_total", ["timing": "on_time"]) == 4)
        #expect(try exposition.value("ispwatch_scheduler_probes_started_total", ["timing": "late"]) == 6)
        #expect(try exposition.value("ispwatch_scheduler_slots_missed_total", ["reason": "start_too_late"]) == 2)
        #expect(try exposition.value("ispwatch_scheduler_slots_missed_total", ["reason": "previous_still_running"]) == 1)
        #expect(try exposition.value("ispwatch_provider_probes_in_flight", ["provider": "viettel"]) == 3)
        #expect(try exposition.value("ispwatch_probes_in_flight") == 5)
        #expect(try exposition.value("ispwatch_probes_waiting") == 7)
        #expect(try exposition.value("ispwatch_store_size_bytes") == 1_048_576)
        #expect(try exposition.value("ispwatch_store_flush_errors_total") == 1)
        #expect(try exposition.value("ispwatch_vantage_healthy", ["vantage": "hanoi-vnpt-1"]) == 0)
        #expect(try exposition.value("ispwatch_vantage_controls_failing") == 2)
        #expect(try exposition.value("ispwatch_config_reload_failures_total") == 1)
        #expect(try exposition.value("ispwatch_config_last_reload_successful") == 0)
        #expect(try exposition.value("ispwatch_config_last_reload_success_timestamp_seconds")
            == ProbeResults.start.secondsSinceEpoch + 30)
    }

    @Test func schedulerLatenessIsAPrometheusHistogram() throws {
        let exposition = try parsed(ProbeResults.registryOfEveryKind())
        let lateness = SchedulerStatisticsFixture.latenessMilliseconds
        let buckets = exposition.samples("ispwatch_scheduler_lateness_seconds_bucket")
        #expect(buckets.count == SchedulerStatistics.latenessBucketBounds.count + 1)
        for bucket in buckets {
            let bound = bucket.labels["le"] == "+Inf" ? Double.infinity : Double(bucket.labels["le"]!)!
            let expected = lateness.filter { Double($0) / 1000 <= bound }.count
            #expect(bucket.value == Double(expected), "le=\(bucket.labels["le"]!)")
        }
        #expect(try exposition.value("ispwatch_scheduler_lateness_seconds_count") == Double(lateness.count))
        #expect(try abs(exposition.value("ispwatch_scheduler_lateness_seconds_sum")
            - Double(lateness.reduce(0, +)) / 1000) < 1e-9)
        #expect(try exposition.value("ispwatch_scheduler_lateness_max_seconds") == 45)
    }

    @Test func recordingFromManyThreadsLosesNothing() async throws {
        let metrics = ProbeMetrics()
        let seriesCount = 50
        let probesPerSeries = 200
        await withTaskGroup(of: Void.self) { group in
            for series in 0..<seriesCount {
                group.addTask {
                    let key = ProbeResults.key("target-\(series)")
                    let labels = ProbeResults.labels("target-\(series)", kind: .tcp)
                    for index in 0..<probesPerSeries {
                        metrics.record(ProbeResults.tcpConnect(refused: index % 4 == 0), series: key, labels: labels)
                        if index % 50 == 0 { _ = metrics.render() }
                    }
                }
            }
        }
        let exposition = try parsed(metrics)
        let totals = exposition.samples("ispwatch_probes_total")
        #expect(totals.count == seriesCount)
        #expect(totals.allSatisfy { $0.value == Double(probesPerSeries) })
        #expect(exposition.samples("ispwatch_probe_failures_total").allSatisfy { $0.value == Double(probesPerSeries / 4) })
    }
}
