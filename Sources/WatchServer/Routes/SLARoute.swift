import Foundation
import SLAEngine
import WatchCore

/// `/api/v1/sla`: availability, coverage and latency percentiles from the figure engine (the
/// per-series figure of `ispwatch query`, answered from rollups where they exist), grouped and
/// bucketed, over the caller's providers only.
enum SLARoute {
    struct Row: Encodable {
        var group: String
        var bucketStart: String?
        var availability: Double?
        var coverage: Double?
        var upSlices: Int
        var downSlices: Int
        var unknownSlices: Int
        var results: Int
        var p50Ms: Double?
        var p95Ms: Double?
        var p99Ms: Double?

        enum CodingKeys: String, CodingKey {
            case group, availability, coverage, results
            case bucketStart = "bucket_start", upSlices = "up_slices", downSlices = "down_slices"
            case unknownSlices = "unknown_slices", p50Ms = "p50_ms", p95Ms = "p95_ms", p99Ms = "p99_ms"
        }
    }

    struct Answer: Encodable {
        var from: String
        var to: String
        var groupBy: String
        var bucket: String
        var rows: [Row]

        enum CodingKeys: String, CodingKey { case from, to, rows, bucket, groupBy = "group_by" }
    }

    static let longestRange: Duration = .seconds(400 * 86_400)

    static func respond(_ request: ServerRequest, _ context: RouteContext) throws(RouteFailure) -> ServerResponse {
        try request.allowOnly(["from", "to", "provider", "group_by", "bucket", "timezone", "target"])
        let (from, to) = try request.timeRange(now: context.now, defaultLength: .seconds(86_400), longest: longestRange)
        let grouping = try request.choice("group_by", of: FigureGrouping.allCases.map(\.rawValue))
            .flatMap(FigureGrouping.init(rawValue:)) ?? .provider
        let bucket = try request.choice("bucket", of: ["none", "hour", "day"]) ?? "none"
        let zoneName = request.query["timezone"] ?? ServiceObjective.defaultTimeZone
        guard let zone = TimeZone(identifier: zoneName) else {
            throw .badParameter("timezone", "\"\(zoneName)\" is not an IANA time zone like Asia/Ho_Chi_Minh")
        }
        let readers = try context.stores.readers()
        let catalog = Catalog(configuration: context.configuration, readers: readers)
        let providers = try context.providerFilter(request, catalog: catalog)
        var query = FigureQuery(fromMillis: from.millisecondsSinceEpoch, toMillis: to.millisecondsSinceEpoch)
        query.grouping = grouping
        query.providers = providers
        if let target = request.query["target"] {
            guard let entry = catalog.targets[target], context.caller.sees(entry.provider) else { throw .notFound }
            query.targets = [target]
        }
        query.bucketing = switch bucket {
        case "hour": .hour
        case "day": .day(utcOffsetSeconds: zone.secondsFromGMT(for: Date(timeIntervalSince1970: from.secondsSinceEpoch)))
        default: .none
        }
        let answer = try ServerStores.figures(query, readers: readers)
        let rows = answer.rows.map { row in
            Row(group: row.group,
                bucketStart: bucket == "none" ? nil : row.bucketStartMillis.map { Timestamp(nanosecondsSinceEpoch: $0 * 1_000_000).description },
                availability: row.availability, coverage: row.coverage, upSlices: row.upSlices, downSlices: row.downSlices,
                unknownSlices: row.unknownSlices, results: row.results,
                p50Ms: row.latencyQuantile(0.5).map { $0 / 1_000 }, p95Ms: row.latencyQuantile(0.95).map { $0 / 1_000 },
                p99Ms: row.latencyQuantile(0.99).map { $0 / 1_000 })
        }
        return .json(Answer(from: from.description, to: to.description, groupBy: grouping.rawValue, bucket: bucket, rows: rows))
    }
}
