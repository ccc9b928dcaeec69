import SeriesStore
import WatchCore

/// One failed probe, as needed to find an incident's dominant failure.
public struct FailedProbe: Sendable, Hashable {
    /// Its series.
    public var series: SeriesKey
    /// When it started, ms.
    public var startMillis: Int64
    /// Its failure reason's name (as in ``ProbeTally/failureReasons``).
    public var reason: String
    /// Its DNS rcode or HTTP status, when it got an answer.
    public var code: Int32?

    /// Creates a failed probe.
    public init(series: SeriesKey, startMillis: Int64, reason: String, code: Int32?) {
        self.series = series
        self.startMillis = startMillis
        self.reason = reason
        self.code = code
    }

    /// The failed probe of a stored result of `series`.
    public init(_ result: StoredResult, series: SeriesKey) {
        self.init(series: series, startMillis: result.startMillis, reason: ProbeTally.reasonName(result), code: result.code)
    }
}

/// Finds each incident's dominant failure reason and code among the failed probes in its span.
public enum IncidentAttribution {
    /// Fills ``Incident/failureCounts``, ``Incident/dominantFailure`` and ``Incident/dominantCode``
    /// from `failures` (of healthy vantages): a failure belongs to an incident when its series is one
    /// of the incident's and it started in `[start, end)` (end of period for an open incident).
    /// The dominant reason is the most frequent (ties: the alphabetically first); its code the most
    /// frequent among those failures (ties: the smallest).
    public static func attribute(_ failures: [FailedProbe], to incidents: inout [Incident], periodEndMillis: Int64) {
        var bySeries: [SeriesKey: [Int]] = [:]
        for (index, incident) in incidents.enumerated() {
            for series in incident.series { bySeries[series, default: []].append(index) }
        }
        var codes: [Int: [String: [Int32: Int]]] = [:]
        for failure in failures {
            for index in bySeries[failure.series] ?? [] {
                let incident = incidents[index]
                let end = incident.end?.millisecondsSinceEpoch ?? periodEndMillis
                guard failure.startMillis >= incident.start.millisecondsSinceEpoch, failure.startMillis < end else { continue }
                incidents[index].failureCounts[failure.reason, default: 0] += 1
                if let code = failure.code { codes[index, default: [:]][failure.reason, default: [:]][code, default: 0] += 1 }
            }
        }
        for index in incidents.indices {
            let counts = incidents[index].failureCounts
            guard let dominant = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key else { continue }
            incidents[index].dominantFailure = dominant
            incidents[index].dominantCode = codes[index]?[dominant]?.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key
        }
    }
}
