import Logging
import Scheduling
import SeriesStore
import WatchCore

/// The state the probe loop's task owns: scheduler, series, health, counters.
struct LoopState {
    var scheduler: ProbeScheduler
    var catalog: SeriesCatalog
    var health: VantageHealthMonitor
    var providers: [String]
    var probesFinished: UInt64 = 0
    var draining = false
    var reloads: UInt64 = 0
    var reloadFailures: UInt64 = 0
    var lastReloadSucceeded = true
    var loadedAt: Timestamp
    var lastPublished = Timestamp(nanosecondsSinceEpoch: 0)

    /// What a reload changed, in series.
    struct ReloadCounts {
        var added = 0
        var removed = 0
        var changed = 0
    }

    init(configuration: Configuration, shard: Shard, sink: StoreSink, now: Timestamp) throws(StoreError) {
        let catalog = try SeriesCatalog(configuration: configuration, shard: shard, store: sink.writer)
        scheduler = ProbeScheduler(limits: (configuration.scheduler ?? SchedulerSettings()).admissionLimits)
        // After registering the series (an fsync'd write of the whole index on a first start): slots
        // counted from before it would all start late.
        let now = max(now, WallClock.now())
        scheduler.apply(catalog.schedules, at: now)
        health = VantageHealthMonitor(controls: catalog.controls)
        providers = Self.providers(of: configuration)
        self.catalog = catalog
        loadedAt = now
        // A verdict at every start: the spell before it (the process was down) ends here.
        recordHealth(since: now, sink: sink)
    }

    /// Applies a new configuration: the scheduler keeps the offsets and pending slots of series that
    /// remain, so history continues without a gap or a burst.
    mutating func apply(_ configuration: Configuration, store: StoreWriter, at now: Timestamp) throws(StoreError) -> ReloadCounts {
        let next = try SeriesCatalog(configuration: configuration, shard: catalog.shard, store: store)
        let now = max(now, WallClock.now())
        var counts = ReloadCounts()
        // A key keeps its store id forever, so comparing by id compares by key.
        for id in 0..<SeriesID(max(catalog.idLimit, next.idLimit)) {
            switch (catalog.plan(id), next.plan(id)) {
            case (nil, .some): counts.added += 1
            case (.some, nil): counts.removed += 1
            case (.some(let old), .some(let new)) where catalog.target(of: old) != next.target(of: new): counts.changed += 1
            default: break
            }
        }
        scheduler.apply(next.schedules, limits: (configuration.scheduler ?? SchedulerSettings()).admissionLimits, at: now)
        health.setControls(next.controls)
        providers = Self.providers(of: configuration)
        catalog = next
        loadedAt = now
        return counts
    }

    /// When the loop must next advance the scheduler, ns since the epoch (`Int64.max`: nothing due).
    mutating func nextWakeUp() -> Int64 {
        scheduler.nextWakeUp(after: WallClock.now())?.nanosecondsSinceEpoch ?? Int64.max
    }

    /// Stores the current health verdict as starting at `since`.
    func recordHealth(since: Timestamp, sink: StoreSink) {
        sink.submit(StoredResult(
            series: catalog.healthSeriesID, scheduledMillis: nil, startMillis: since.nanosecondsSinceEpoch / 1_000_000,
            success: health.verdict == .healthy, failure: nil, code: nil, latencyMicros: 0))
    }

    private static func providers(of configuration: Configuration) -> [String] {
        configuration.providers.map(\.id) + ((configuration.vantage?.controls.isEmpty ?? true) ? [] : [""])
    }
}
