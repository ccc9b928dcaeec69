import SeriesStore
import WatchCore

/// One series a query covers, possibly present in several stores (the same key in each).
struct QuerySeries: Sendable {
    var key: SeriesKey
    var metadata: SeriesMetadata
    /// Per store index, the series' id there.
    var ids: [(store: Int, id: SeriesID)]

    func groupName(_ grouping: FigureGrouping) -> String {
        switch grouping {
        case .target: key.target.rawValue
        case .provider: metadata.provider
        case .service: metadata.service
        case .vantage: key.vantage
        case .region: metadata.region
        case .series: key.description
        }
    }

    /// The series of `readers` a query selects, of the given roles (control and vantage-health
    /// series are never provider figures).
    static func select(_ readers: [StoreReader], _ query: FigureQuery, roles: Set<SeriesRole> = [.target]) -> [QuerySeries] {
        var byKey: [SeriesKey: QuerySeries] = [:]
        for (store, reader) in readers.enumerated() {
            for entry in reader.series.values {
                guard roles.contains(SeriesRole(labels: entry.metadata.labels)),
                      query.targets?.contains(entry.key.target.rawValue) ?? true,
                      query.providers?.contains(entry.metadata.provider) ?? true
                else { continue }
                byKey[entry.key, default: QuerySeries(key: entry.key, metadata: entry.metadata, ids: [])].ids.append((store, entry.id))
            }
        }
        return byKey.values.sorted { $0.key < $1.key }
    }
}
