import Scheduling
import WatchCore

/// The daemon's own figures at one moment, pushed to ``ProbeMetrics/update(_:)`` about once a
/// second. Every field has a default, so the daemon sets what it knows.
public struct RuntimeSnapshot: Sendable, Hashable {
    // MARK: - Build and process

    /// The ispwatch version, the `version` label of `ispwatch_build_info`.
    public var version: String
    /// When the process started; `process_start_time_seconds` is left out while `nil`.
    public var processStartTime: Timestamp?

    // MARK: - Scheduling and admission

    /// What the scheduler did since the start.
    public var scheduler: SchedulerStatistics
    /// Probes running now.
    public var probesInFlight: Int
    /// Probes running now, by provider id.
    public var probesInFlightByProvider: [String: Int]
    /// Probes due but waiting for a concurrency or rate limit.
    public var probesWaiting: Int
    /// Series the scheduler holds.
    public var seriesScheduled: Int

    // MARK: - Store

    /// Bytes the store's files take on disk.
    public var storeBytesOnDisk: Int64
    /// Results appended to the store since the start.
    public var storeResultsWritten: Int64
    /// Flushes that failed since the start.
    public var storeFlushErrors: Int
    /// Results that could not be written and are lost.
    public var storeResultsLost: Int64
    /// Whether the store accepts writes.
    public var storeHealthy: Bool

    // MARK: - Vantage

    /// The id of this process' vantage, the `vantage` label of the vantage families.
    public var vantage: String
    /// Whether the vantage passes its control probes (its own network works).
    public var vantageHealthy: Bool
    /// Control probes configured.
    public var vantageControlsConfigured: Int
    /// Control probes failing now.
    public var vantageControlsFailing: Int
    /// This process' share of the vantage's targets (`--shard`); `ispwatch_shard_info` is left out
    /// while `nil`.
    public var shard: Shard?

    // MARK: - Configuration

    /// Reloads attempted since the start (SIGHUP), successful or not.
    public var configReloads: Int
    /// Reloads that failed (the previous configuration stays in force).
    public var configReloadFailures: Int
    /// Whether the latest load or reload succeeded.
    public var lastReloadSucceeded: Bool
    /// When the configuration was last loaded successfully (the start counts).
    public var lastSuccessfulReload: Timestamp?

    // MARK: - Remote write

    /// The remote-write sender's figures, or `nil` when the daemon does not remote-write.
    public var remoteWrite: RemoteWriteFigures? = nil

    /// Creates a snapshot; every figure defaults to its value in a process that has done nothing
    /// yet.
    public init(
        version: String = "unknown",
        processStartTime: Timestamp? = nil,
        scheduler: SchedulerStatistics = SchedulerStatistics(),
        probesInFlight: Int = 0,
        probesInFlightByProvider: [String: Int] = [:],
        probesWaiting: Int = 0,
        seriesScheduled: Int = 0,
        storeBytesOnDisk: Int64 = 0,
        storeResultsWritten: Int64 = 0,
        storeFlushErrors: Int = 0,
        storeResultsLost: Int64 = 0,
        storeHealthy: Bool = true,
        vantage: String = Vantage.unnamedID,
        vantageHealthy: Bool = true,
        vantageControlsConfigured: Int = 0,
        vantageControlsFailing: Int = 0,
        shard: Shard? = nil,
        configReloads: Int = 0,
        configReloadFailures: Int = 0,
        lastReloadSucceeded: Bool = true,
        lastSuccessfulReload: Timestamp? = nil
    ) {
        self.version = version
        self.processStartTime = processStartTime
        self.scheduler = scheduler
        self.probesInFlight = probesInFlight
        self.probesInFlightByProvider = probesInFlightByProvider
        self.probesWaiting = probesWaiting
        self.seriesScheduled = seriesScheduled
        self.storeBytesOnDisk = storeBytesOnDisk
        self.storeResultsWritten = storeResultsWritten
        self.storeFlushErrors = storeFlushErrors
        self.storeResultsLost = storeResultsLost
        self.storeHealthy = storeHealthy
        self.vantage = vantage
        self.vantageHealthy = vantageHealthy
        self.vantageControlsConfigured = vantageControlsConfigured
        self.vantageControlsFailing = vantageControlsFailing
        self.shard = shard
        self.configReloads = configReloads
        self.configReloadFailures = configReloadFailures
        self.lastReloadSucceeded = lastReloadSucceeded
        self.lastSuccessfulReload = lastSuccessfulReload
    }
}
