import Scheduling
import WatchCore

/// The probe loop's figures at one moment, for `/metrics` and logs.
public struct ProbeLoopStatus: Sendable {
    /// What the scheduler counted: slots due, started on time or late, missed, lateness.
    public var scheduler = SchedulerStatistics()
    /// Probes running now.
    public var inFlight = 0
    /// Probes running now, by provider (controls under the empty provider).
    public var inFlightByProvider: [String: Int] = [:]
    /// Probes waiting for a limit.
    public var waiting = 0
    /// Series scheduled (targets and controls).
    public var seriesScheduled = 0
    /// Probes finished since start.
    public var probesFinished: UInt64 = 0
    /// The vantage's health.
    public var vantageHealth: VantageHealthMonitor.Verdict = .healthy
    /// Control series configured.
    public var controlsConfigured = 0
    /// Control series whose latest recent probe failed.
    public var controlsFailing = 0
    /// Reloads that took effect.
    public var reloads: UInt64 = 0
    /// Reloads refused because the new configuration was invalid (the old one stays).
    public var reloadFailures: UInt64 = 0
    /// Whether the latest reload took effect (`true` before any reload).
    public var lastReloadSucceeded = true
    /// When the configuration in force was loaded.
    public var configurationLoadedAt: Timestamp?
    /// Whether the loop is draining for shutdown.
    public var draining = false

    /// Creates empty figures.
    public init() {}
}
