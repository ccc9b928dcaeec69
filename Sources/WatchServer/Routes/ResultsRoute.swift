import SeriesStore
import WatchCore

/// `/api/v1/results`: one target's raw results, oldest first, a bounded page at a time.
///
/// A page is at most `limit` (≤ 1,000) results of at most seven days; `next` is the cursor of the
/// following page (the start time and series of the last result given), absent on the last page.
enum ResultsRoute {
    struct Entry: Encodable {
        var start: String
        var vantage: String
        var family: String
        var success: Bool
        var failure: String?
        var code: Int32?
        var latencyMs: Double

        enum CodingKeys: String, CodingKey { case start, vantage, family, success, failure, code, latencyMs = "latency_ms" }
    }

    struct Page: Encodable {
        var target: String
        var from: String
        var to: String
        var results: [Entry]
        var next: String?
    }

    static let largestPage = 1_000

    static func respond(_ request: ServerRequest, _ context: RouteContext) throws(RouteFailure) -> ServerResponse {
        try request.allowOnly(["target", "from", "to", "limit", "after"])
        guard let target = request.query["target"], !target.isEmpty else {
            throw .badParameter("target", "required: the id of the target whose results to list")
        }
        let (from, to) = try request.timeRange(now: context.now, defaultLength: .seconds(3_600), longest: .seconds(7 * 86_400))
        let limit = try request.integer("limit", in: 1...largestPage) ?? 100
        let after = try cursor(request.query["after"])
        let readers = try context.stores.readers()
        let catalog = Catalog(configuration: context.configuration, readers: readers)
        guard let entry = catalog.targets[target], context.caller.sees(entry.provider) else { throw .notFound }

        var rows: [(start: Int64, key: String, entry: Entry)] = []
        for reader in readers {
            let series = reader.series.values.filter { $0.key.target.rawValue == target }
            let keys = Dictionary(series.map { ($0.id, $0.key) }, uniquingKeysWith: { first, _ in first })
            guard !keys.isEmpty else { continue }
            do {
                try reader.scan(fromMillis: from.millisecondsSinceEpoch, toMillis: to.millisecondsSinceEpoch,
                                series: Set(keys.keys), onCorruption: .skip) { result in
                    guard let key = keys[result.series] else { return }
                    let order = (result.startMillis, key.description)
                    if let after, order <= after { return }
                    rows.append((result.startMillis, key.description, Entry(
                        start: result.startedAt.description, vantage: key.vantage, family: key.family.rawValue,
                        success: result.success, failure: result.failure?.rawValue, code: result.code,
                        latencyMs: Double(result.latencyMicros) / 1_000)))
                }
            } catch {
                throw RouteFailure(status: 503, message: "the store \(reader.directory) could not be read: \(error)")
            }
        }
        rows.sort { ($0.start, $0.key) < ($1.start, $1.key) }
        let page = rows.prefix(limit)
        let next = rows.count > limit ? page.last.map { "\($0.start)~\($0.key)" } : nil
        return .json(Page(target: target, from: from.description, to: to.description, results: page.map(\.entry), next: next))
    }

    /// Parses `<start ms>~<series key>`.
    private static func cursor(_ text: String?) throws(RouteFailure) -> (Int64, String)? {
        guard let text else { return nil }
        let parts = text.split(separator: "~", maxSplits: 1)
        guard parts.count == 2, let start = Int64(parts[0]) else {
            throw .badParameter("after", "\"\(text)\" is not a cursor; pass the next value of the previous page")
        }
        return (start, String(parts[1]))
    }
}
