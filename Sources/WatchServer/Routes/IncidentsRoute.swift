import SLAEngine
import SeriesStore
import WatchCore

/// `/api/v1/incidents`: the incident register of the accounting engine (K/M rule, quorum,
/// maintenance; docs/SLA.md), with each incident's dominant failure as its reason.
enum IncidentsRoute {
    struct Entry: Encodable {
        var id: String
        var target: String
        var provider: String
        var service: String
        var region: String
        var start: String
        var end: String?
        var open: Bool
        var durationSeconds: Int64
        var reason: String?
        var code: Int32?
        var vantages: [String]

        enum CodingKeys: String, CodingKey {
            case id, target, provider, service, region, start, end, open, reason, code, vantages
            case durationSeconds = "duration_seconds"
        }

        init(_ incident: Incident) {
            id = incident.id
            target = incident.target.rawValue
            provider = incident.provider
            service = incident.service
            region = incident.region
            start = incident.start.description
            end = incident.end?.description
            open = incident.isOpen
            durationSeconds = incident.duration.components.seconds
            reason = incident.dominantFailure
            code = incident.dominantCode
            vantages = incident.affectedVantages
        }
    }

    struct Answer: Encodable {
        var from: String
        var to: String
        var incidents: [Entry]
    }

    static func respond(_ request: ServerRequest, _ context: RouteContext) throws(RouteFailure) -> ServerResponse {
        try request.allowOnly(["from", "to", "provider", "open"])
        let (from, to) = try request.timeRange(now: context.now, defaultLength: .seconds(7 * 86_400),
                                               longest: .seconds(93 * 86_400))
        let openOnly = try request.choice("open", of: ["true", "false"]) == "true"
        let readers = try context.stores.readers()
        let providers = try context.providerFilter(request, catalog: Catalog(configuration: context.configuration, readers: readers))
        let incidents = try accountedIncidents(context, readers: readers, from: from, to: to, providers: providers)
        return .json(Answer(from: from.description, to: to.description,
                            incidents: incidents.filter { !openOnly || $0.isOpen }.map(Entry.init)))
    }

    /// The accounting engine's incidents of `providers` (all when `nil`) in `[from, to)`.
    static func accountedIncidents(
        _ context: RouteContext, readers: [StoreReader], from: Timestamp, to: Timestamp, providers: Set<String>?
    ) throws(RouteFailure) -> [Incident] {
        if providers?.isEmpty == true || readers.isEmpty { return [] }
        do throws(SLAComputationError) {
            let period = try ReportPeriod.window(from: from, to: to, timeZone: ReportPeriod.defaultTimeZone)
            let computation = SLAComputation(readers: readers, configuration: context.configuration, period: period,
                                             grouping: [.provider], providers: providers)
            return try computation.run().incidents
        } catch {
            throw RouteFailure(status: 503, message: error.description)
        }
    }
}
