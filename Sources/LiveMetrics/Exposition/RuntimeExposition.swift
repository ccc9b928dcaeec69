import Scheduling
import WatchCore

/// The daemon's own families: build, process, scheduler, admission, store, vantage, configuration.
/// One sample each (a few per label value), written after the per-series families.
enum RuntimeExposition {
    static func write(_ runtime: RuntimeSnapshot, seriesWithMetrics: Int, into buffer: inout ExpositionBuffer) {
        let none: [UInt8] = []

        buffer.begin(buildInfo)
        buffer.sample(labels: ExpositionText.label("version", runtime.version), 1 as UInt64)
        if let start = runtime.processStartTime {
            buffer.begin(processStart)
            buffer.sample(labels: none, start.secondsSinceEpoch)
        }

        // MARK: Scheduler
        let scheduler = runtime.scheduler
        buffer.begin(slotsDue)
        buffer.sample(labels: none, UInt64(clamping: scheduler.slotsDue))
        buffer.begin(probesStarted)
        buffer.sample(labels: none, extra: onTime, UInt64(clamping: scheduler.startedOnTime))
        buffer.sample(labels: none, extra: late, UInt64(clamping: scheduler.startedLate))
        buffer.begin(slotsMissed)
        buffer.sample(labels: none, extra: startTooLate, UInt64(clamping: scheduler.missedStartTooLate))
        buffer.sample(labels: none, extra: previousStillRunning, UInt64(clamping: scheduler.missedPreviousStillRunning))
        buffer.sample(labels: none, extra: callerStalled, UInt64(clamping: scheduler.missedSkippedSlots))
        buffer.begin(slotsWithdrawn)
        buffer.sample(labels: none, UInt64(clamping: scheduler.withdrawnByReload))
        buffer.begin(lateness)
        buffer.histogram(labels: none, bucketLabels: latenessBucketLabels,
                         counts: scheduler.latenessBucketCounts.map { UInt64(clamping: $0) },
                         sum: Double(scheduler.totalLatenessNanoseconds) / 1e9)
        buffer.begin(maximumLateness)
        buffer.sample(labels: none, scheduler.maximumLateness.seconds)

        // MARK: Admission
        buffer.begin(inFlight)
        buffer.sample(labels: none, UInt64(clamping: runtime.probesInFlight))
        buffer.begin(inFlightByProvider)
        for (provider, count) in runtime.probesInFlightByProvider.sorted(by: { $0.key < $1.key }) {
            buffer.sample(labels: ExpositionText.label("provider", provider), UInt64(clamping: count))
        }
        buffer.begin(waiting)
        buffer.sample(labels: none, UInt64(clamping: runtime.probesWaiting))
        buffer.begin(seriesScheduled)
        buffer.sample(labels: none, UInt64(clamping: runtime.seriesScheduled))
        buffer.begin(seriesExported)
        buffer.sample(labels: none, UInt64(clamping: seriesWithMetrics))

        // MARK: Store
        buffer.begin(storeSize)
        buffer.sample(labels: none, UInt64(clamping: runtime.storeBytesOnDisk))
        buffer.begin(storeWritten)
        buffer.sample(labels: none, UInt64(clamping: runtime.storeResultsWritten))
        buffer.begin(storeFlushErrors)
        buffer.sample(labels: none, UInt64(clamping: runtime.storeFlushErrors))
        buffer.begin(storeLost)
        buffer.sample(labels: none, UInt64(clamping: runtime.storeResultsLost))
        buffer.begin(storeHealthy)
        buffer.sample(labels: none, runtime.storeHealthy ? 1 as UInt64 : 0)

        // MARK: Vantage
        let vantage = ExpositionText.label("vantage", runtime.vantage)
        buffer.begin(vantageHealthy)
        buffer.sample(labels: vantage, runtime.vantageHealthy ? 1 as UInt64 : 0)
        buffer.begin(controlsConfigured)
        buffer.sample(labels: vantage, UInt64(clamping: runtime.vantageControlsConfigured))
        buffer.begin(controlsFailing)
        buffer.sample(labels: vantage, UInt64(clamping: runtime.vantageControlsFailing))
        if let shard = runtime.shard {
            buffer.begin(shardInfo)
            buffer.sample(
                labels: ExpositionText.labels([
                    ("vantage", runtime.vantage), ("shard", String(shard.number)), ("shards", String(shard.count)),
                ]),
                1 as UInt64)
        }

        // MARK: Configuration
        buffer.begin(reloads)
        buffer.sample(labels: none, UInt64(clamping: runtime.configReloads))
        buffer.begin(reloadFailures)
        buffer.sample(labels: none, UInt64(clamping: runtime.configReloadFailures))
        buffer.begin(lastReloadSuccessful)
        buffer.sample(labels: none, runtime.lastReloadSucceeded ? 1 as UInt64 : 0)
        if let reloaded = runtime.lastSuccessfulReload {
            buffer.begin(lastReloadSuccess)
            buffer.sample(labels: none, reloaded.secondsSinceEpoch)
        }
        if let remoteWrite = runtime.remoteWrite { write(remoteWrite, into: &buffer) }
    }

    // MARK: - Families

    private static let buildInfo = MetricFamily(
        "ispwatch_build_info", .gauge, help: "Always 1; the version label says which ispwatch runs.")
    private static let processStart = MetricFamily(
        "process_start_time_seconds", .gauge, help: "When the process started, in Unix seconds.")

    private static let slotsDue = MetricFamily(
        "ispwatch_scheduler_slots_due_total", .counter, help: "Probe slots that came due.")
    private static let probesStarted = MetricFamily(
        "ispwatch_scheduler_probes_started_total", .counter,
        help: "Probes started, on time (within the on-time tolerance of their slot) or late.")
    private static let slotsMissed = MetricFamily(
        "ispwatch_scheduler_slots_missed_total", .counter,
        help: "Slots that never became a probe, by reason: start_too_late (waited for a limit past the latest start), previous_still_running, caller_stalled (the daemon was stalled past them).")
    private static let slotsWithdrawn = MetricFamily(
        "ispwatch_scheduler_slots_withdrawn_total", .counter,
        help: "Waiting slots of series a configuration reload removed (not misses).")
    private static let lateness = MetricFamily(
        "ispwatch_scheduler_lateness_seconds", .histogram,
        help: "How long after its slot each probe started.")
    private static let maximumLateness = MetricFamily(
        "ispwatch_scheduler_lateness_max_seconds", .gauge,
        help: "The largest lateness of a probe start since the daemon started.")

    private static let inFlight = MetricFamily(
        "ispwatch_probes_in_flight", .gauge, help: "Probes running now.")
    private static let inFlightByProvider = MetricFamily(
        "ispwatch_provider_probes_in_flight", .gauge, help: "Probes running now, by provider.")
    private static let waiting = MetricFamily(
        "ispwatch_probes_waiting", .gauge, help: "Probes due but waiting for a concurrency or rate limit.")
    private static let seriesScheduled = MetricFamily(
        "ispwatch_series_scheduled", .gauge, help: "Series the scheduler probes.")
    private static let seriesExported = MetricFamily(
        "ispwatch_metrics_series", .gauge, help: "Series with per-series metrics in this exposition.")

    private static let storeSize = MetricFamily(
        "ispwatch_store_size_bytes", .gauge, help: "Bytes the series store takes on disk.")
    private static let storeWritten = MetricFamily(
        "ispwatch_store_results_written_total", .counter, help: "Results appended to the series store.")
    private static let storeFlushErrors = MetricFamily(
        "ispwatch_store_flush_errors_total", .counter, help: "Flushes of the series store that failed.")
    private static let storeLost = MetricFamily(
        "ispwatch_store_results_lost_total", .counter, help: "Results that could not be written to the series store.")
    private static let storeHealthy = MetricFamily(
        "ispwatch_store_healthy", .gauge, help: "Whether the series store accepts writes (1) or not (0).")

    private static let vantageHealthy = MetricFamily(
        "ispwatch_vantage_healthy", .gauge,
        help: "Whether this vantage passes its control probes (1); while 0 its results count as UNKNOWN.")
    private static let controlsConfigured = MetricFamily(
        "ispwatch_vantage_controls", .gauge, help: "Control probes configured for this vantage.")
    private static let controlsFailing = MetricFamily(
        "ispwatch_vantage_controls_failing", .gauge, help: "Control probes of this vantage failing now.")

    private static let shardInfo = MetricFamily(
        "ispwatch_shard_info", .gauge,
        help: "Always 1; shard (numbered from 1) of shards says which share of the vantage's targets this process probes.")

    private static let reloads = MetricFamily(
        "ispwatch_config_reloads_total", .counter, help: "Configuration reloads attempted, successful or not.")
    private static let reloadFailures = MetricFamily(
        "ispwatch_config_reload_failures_total", .counter,
        help: "Configuration reloads that failed; the previous configuration stayed in force.")
    private static let lastReloadSuccessful = MetricFamily(
        "ispwatch_config_last_reload_successful", .gauge, help: "Whether the latest configuration load succeeded.")
    private static let lastReloadSuccess = MetricFamily(
        "ispwatch_config_last_reload_success_timestamp_seconds", .gauge,
        help: "When the configuration was last loaded successfully, in Unix seconds.")

    // MARK: - Label values

    private static let onTime = ExpositionText.label("timing", "on_time")
    private static let late = ExpositionText.label("timing", "late")
    private static let startTooLate = ExpositionText.label("reason", "start_too_late")
    private static let previousStillRunning = ExpositionText.label("reason", "previous_still_running")
    private static let callerStalled = ExpositionText.label("reason", "caller_stalled")
    private static let latenessBucketLabels = SchedulerStatistics.latenessBucketBounds.map {
        ExpositionText.label("le", LatencyBuckets.boundText($0))
    }
}
