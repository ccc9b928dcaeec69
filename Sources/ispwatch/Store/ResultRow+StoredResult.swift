import SeriesStore
import WatchCore

extension ResultRow {
    /// The row of a stored result of the series `entry`.
    init(_ result: StoredResult, entry: SeriesEntry) {
        var phases: [UInt32?] = []
        phases.reserveCapacity(Phase.allCases.count)
        for phase in Phase.allCases { phases.append(result.phases[phase]) }
        self.init(
            startMillis: result.startMillis, scheduledMillis: result.scheduledMillis, target: entry.key.target,
            provider: entry.metadata.provider, vantage: entry.key.vantage, family: entry.key.family,
            kind: entry.metadata.kind, success: result.success, failure: result.failure, code: result.code,
            latencyMicros: result.latencyMicros, phaseMicros: phases
        )
    }
}

extension StoredResult {
    /// The stored result of `row`, in series `series`.
    init(_ row: ResultRow, series: SeriesID) {
        var phases = StoredPhases()
        for (phase, value) in zip(Phase.allCases, row.phaseMicros) { phases[phase] = value }
        self.init(
            series: series, scheduledMillis: row.scheduledMillis, startMillis: row.startMillis, success: row.success,
            failure: row.failure, code: row.code, latencyMicros: row.latencyMicros, phases: phases
        )
    }
}
