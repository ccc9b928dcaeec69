import Foundation
import SLAEngine
import SeriesStore
import WatchCore

/// The figures of the status pages, per provider: each service's state now, availability per day
/// and over the period, p95 latency per day, and the open and recent incidents with their reason.
///
/// Read with the figure engine (per-series availability, as `/api/v1/sla`), so the page and the API
/// agree for the same range.
struct StatusData {
    struct Service {
        var name: String
        var targets = 0
        var up = 0
        var down = 0
        var upSlices = 0
        var downSlices = 0
        var dayUp: [Int]
        var dayDown: [Int]

        var availability: Double? { upSlices + downSlices == 0 ? nil : Double(upSlices) / Double(upSlices + downSlices) }

        func dayAvailability(_ day: Int) -> Double? {
            dayUp[day] + dayDown[day] == 0 ? nil : Double(dayUp[day]) / Double(dayUp[day] + dayDown[day])
        }
    }

    struct IncidentLine {
        var target: String
        var service: String
        var start: Timestamp
        var end: Timestamp?
        var reason: String?
    }

    struct ProviderStatus {
        var id: String
        var name: String
        var services: [Service]
        var upSlices = 0
        var downSlices = 0
        var dayLatency: [LatencySketch]
        var incidents: [IncidentLine] = []

        var availability: Double? { upSlices + downSlices == 0 ? nil : Double(upSlices) / Double(upSlices + downSlices) }
    }

    /// Start of the first day shown.
    var from: Timestamp
    /// End of the range (now).
    var to: Timestamp
    /// The first instant of each day shown.
    var dayStarts: [Timestamp]
    /// The providers, by id.
    var providers: [ProviderStatus]

    /// How far back the current state looks for each series' last result.
    static let currentWindow: Duration = .seconds(600)
    /// The incidents listed per provider, newest first.
    static let incidentsShown = 10

    init(providers ids: [String], catalog: Catalog, configuration: Configuration, readers: [StoreReader], now: Timestamp,
         days: Int, timeZone: TimeZone) throws(RouteFailure) {
        let nowMillis = now.millisecondsSinceEpoch
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: now.secondsSinceEpoch))
        let today = (nowMillis + Int64(offset) * 1_000).floorDivided(by: 86_400_000)
        let firstDayMillis = (today - Int64(days - 1)) * 86_400_000 - Int64(offset) * 1_000
        from = Timestamp(nanosecondsSinceEpoch: firstDayMillis * 1_000_000)
        // Whole minutes, so sealed segments are answered from their rollups.
        let toMillis = max(firstDayMillis + 60_000, (nowMillis / 60_000 + 1) * 60_000)
        to = Timestamp(nanosecondsSinceEpoch: toMillis * 1_000_000)
        dayStarts = (0..<days).map { Timestamp(nanosecondsSinceEpoch: (firstDayMillis + Int64($0) * 86_400_000) * 1_000_000) }

        var byProvider: [String: ProviderStatus] = [:]
        var serviceOf: [String: (provider: String, service: String)] = [:]
        for id in ids {
            let targets = catalog.targets(visibleTo: [id])
            var services: [String: Service] = [:]
            for target in targets {
                serviceOf[target.id] = (id, target.service)
                services[target.service, default: Service(name: target.service, dayUp: Array(repeating: 0, count: days),
                                                          dayDown: Array(repeating: 0, count: days))].targets += 1
            }
            byProvider[id] = ProviderStatus(
                id: id, name: catalog.providers[id]?.name ?? id, services: services.values.sorted { $0.name < $1.name },
                dayLatency: Array(repeating: LatencySketch(), count: days))
        }
        providers = ids.compactMap { byProvider[$0] }
        guard !readers.isEmpty, !ids.isEmpty else { return }

        var query = FigureQuery(fromMillis: firstDayMillis, toMillis: toMillis)
        query.grouping = .target
        query.bucketing = .day(utcOffsetSeconds: offset)
        query.providers = Set(ids)
        query.includesIncidents = true
        let answer = try ServerStores.figures(query, readers: readers)
        var providerIndex: [String: Int] = [:]
        for (index, provider) in providers.enumerated() { providerIndex[provider.id] = index }
        for row in answer.rows {
            guard let (providerID, serviceName) = serviceOf[row.group], let p = providerIndex[providerID],
                  let s = providers[p].services.firstIndex(where: { $0.name == serviceName }),
                  let bucket = row.bucketStartMillis
            else { continue }
            let day = Int((bucket - firstDayMillis).floorDivided(by: 86_400_000))
            guard day >= 0, day < days else { continue }
            providers[p].services[s].dayUp[day] += row.upSlices
            providers[p].services[s].dayDown[day] += row.downSlices
            providers[p].services[s].upSlices += row.upSlices
            providers[p].services[s].downSlices += row.downSlices
            providers[p].upSlices += row.upSlices
            providers[p].downSlices += row.downSlices
            providers[p].dayLatency[day].merge(row.latency)
        }
        try readCurrentState(readers: readers, serviceOf: serviceOf, providerIndex: providerIndex, now: now)
        try readIncidents(answer.incidents, readers: readers, serviceOf: serviceOf, providerIndex: providerIndex, now: now)
    }

    /// Each target is up when the last result of every one of its series in the last ten minutes
    /// succeeded, down when one failed.
    private mutating func readCurrentState(
        readers: [StoreReader], serviceOf: [String: (provider: String, service: String)], providerIndex: [String: Int],
        now: Timestamp
    ) throws(RouteFailure) {
        var last: [String: (start: Int64, success: Bool)] = [:]
        let fromMillis = now.millisecondsSinceEpoch - Self.currentWindow.components.seconds * 1_000
        for reader in readers {
            let keys = Dictionary(reader.series.values.filter { serviceOf[$0.key.target.rawValue] != nil }.map { ($0.id, $0.key) },
                                  uniquingKeysWith: { first, _ in first })
            guard !keys.isEmpty else { continue }
            do {
                try reader.scan(fromMillis: fromMillis, series: Set(keys.keys), onCorruption: .skip) { result in
                    guard let key = keys[result.series]?.description else { return }
                    if let seen = last[key], seen.start > result.startMillis { return }
                    last[key] = (result.startMillis, result.success)
                }
            } catch {
                throw RouteFailure(status: 503, message: "the store could not be read: \(error)")
            }
        }
        var targetDown: [String: Bool] = [:]
        for (key, value) in last {
            let target = String(key.split(separator: "/").first ?? "")
            targetDown[target] = (targetDown[target] ?? false) || !value.success
        }
        for (target, down) in targetDown {
            guard let (providerID, serviceName) = serviceOf[target], let p = providerIndex[providerID],
                  let s = providers[p].services.firstIndex(where: { $0.name == serviceName })
            else { continue }
            if down { providers[p].services[s].down += 1 } else { providers[p].services[s].up += 1 }
        }
    }

    /// The newest incidents of each provider, with the most common failure of their first half hour.
    private mutating func readIncidents(
        _ records: [IncidentRecord], readers: [StoreReader], serviceOf: [String: (provider: String, service: String)],
        providerIndex: [String: Int], now: Timestamp
    ) throws(RouteFailure) {
        var perProvider: [String: [IncidentRecord]] = [:]
        for record in records {
            guard let (providerID, _) = serviceOf[record.target] else { continue }
            perProvider[providerID, default: []].append(record)
        }
        for (providerID, list) in perProvider {
            guard let p = providerIndex[providerID] else { continue }
            let newest = list.sorted { ($0.endMillis == nil ? 1 : 0, $0.startMillis) > ($1.endMillis == nil ? 1 : 0, $1.startMillis) }
                .prefix(Self.incidentsShown)
            for record in newest {
                let reason = try Self.dominantFailure(of: record, readers: readers)
                providers[p].incidents.append(IncidentLine(
                    target: record.target, service: serviceOf[record.target]?.service ?? "",
                    start: Timestamp(nanosecondsSinceEpoch: record.startMillis * 1_000_000),
                    end: record.endMillis.map { Timestamp(nanosecondsSinceEpoch: $0 * 1_000_000) }, reason: reason))
            }
        }
    }

    private static func dominantFailure(of record: IncidentRecord, readers: [StoreReader]) throws(RouteFailure) -> String? {
        var counts: [String: Int] = [:]
        let endMillis = min(record.endMillis ?? Int64.max, record.startMillis + 1_800_000)
        for reader in readers {
            let ids = Set(reader.series.values.filter {
                $0.key.target.rawValue == record.target && $0.key.vantage == record.vantage && $0.key.family == record.family
            }.map(\.id))
            guard !ids.isEmpty else { continue }
            do {
                try reader.scan(fromMillis: record.startMillis, toMillis: endMillis, series: ids, onCorruption: .skip) { result in
                    if let failure = result.failure { counts[failure.rawValue, default: 0] += 1 }
                }
            } catch {
                throw RouteFailure(status: 503, message: "the store could not be read: \(error)")
            }
        }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }
}

extension Int64 {
    /// Division rounding toward negative infinity.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
