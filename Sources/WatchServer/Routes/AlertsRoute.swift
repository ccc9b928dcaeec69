import Alerting
import WatchCore

/// `/api/v1/alerts`: the alerts firing in the `ispwatch run` that writes the data directories
/// (`DATA/alerts/active.json`). A provider sees only alerts labelled with its id; alerts about the
/// platform (a vantage, the prober) carry no provider and are the regulator's.
enum AlertsRoute {
    struct Entry: Encodable {
        var name: String
        var severity: String
        var since: String
        var labels: [String: String]
        var annotations: [String: String]
    }

    struct Answer: Encodable {
        var alerts: [Entry]
        var writtenAt: String?

        enum CodingKeys: String, CodingKey { case alerts, writtenAt = "written_at" }
    }

    static func respond(_ request: ServerRequest, _ context: RouteContext) throws(RouteFailure) -> ServerResponse {
        try request.allowOnly(["provider"])
        let catalog = Catalog(configuration: context.configuration, readers: try context.stores.readers())
        let providers = try context.providerFilter(request, catalog: catalog)
        var entries: [Entry] = []
        var newest: Timestamp?
        for directory in context.stores.directories {
            let file: ActiveAlertsFile?
            do {
                file = try ActiveAlertsFile.read(data: directory)
            } catch {
                throw RouteFailure(status: 503, message: "\(ActiveAlertsFile.path(data: directory)) cannot be read: \(error)")
            }
            guard let file else { continue }
            newest = max(newest ?? file.writtenAt, file.writtenAt)
            for alert in file.alerts {
                if let providers {
                    guard let provider = alert.labels["provider"], providers.contains(provider) else { continue }
                }
                entries.append(Entry(name: alert.key.alertName, severity: alert.severity.rawValue,
                                     since: alert.startsAt.description, labels: alert.labels, annotations: alert.annotations))
            }
        }
        return .json(Answer(alerts: entries, writtenAt: newest?.description))
    }
}
