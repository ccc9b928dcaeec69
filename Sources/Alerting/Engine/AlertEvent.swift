import WatchCore

/// What the alert engine is fed.
public enum AlertEvent: Sendable {
    /// A probe of a provider's target finished (`series` gives the vantage and the family). Control
    /// probes are not fed: their verdict arrives as ``vantageHealth(vantage:healthy:at:)``.
    case probeResult(ProbeResult, series: SeriesKey, target: Target)
    /// The vantage-health monitor's verdict for `vantage` changed (or was re-stated) at `at`.
    case vantageHealth(vantage: String, healthy: Bool, at: Timestamp)
    /// Time passed: slices that ended (plus the close delay) are judged, pending vantage alerts fire,
    /// firing alerts are re-sent when due. The engine has no clock of its own; this is its clock.
    case tick(Timestamp)
    /// The configuration was reloaded: new provider sizes and maintenance windows (see
    /// ``AlertEngine/updateConfiguration(targets:maintenance:)``).
    case configurationChanged(targets: [Target], maintenance: [MaintenanceWindow])
}
