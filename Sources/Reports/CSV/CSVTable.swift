/// The tables a CSV report can hold, one per file: a spreadsheet imports one rectangular table with
/// one header row, so `ispwatch report --format csv --table T` writes one of them.
public enum CSVTable: String, Sendable, Hashable, CaseIterable {
    /// One row per group: every availability, slice, reliability, latency and failure figure.
    case groups
    /// One row per objective: verdict, achieved, budget spent and left.
    case objectives
    /// The incident register, one row per incident.
    case incidents
    /// The maintenance log, one row per occurrence overlapping the period.
    case maintenance
    /// One row per group and local day (or hour): availability and latency over time (incidents
    /// are not split by day: they are in the register).
    case daily
    /// One row per vantage: series, probes, coverage, unhealthy time.
    case vantages
    /// Data quality: one row per listed gap or unhealthy run of a vantage.
    case gaps
    /// One row per store read (a multi-vantage report's inventory): path, vantages, series, results,
    /// first and last result, coverage.
    case stores
}
