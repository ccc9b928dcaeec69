import Foundation
import Reports
import WatchCore

/// `/` and `/providers/<id>`: the status pages.
///
/// Who sees what: the regulator every provider; a provider only itself (another provider's page is
/// a 404, like one that does not exist); without a token, only the providers marked public in
/// `server.public_status` (any other page asks for a token, whether the provider exists or not).
enum StatusPages {
    static func respond(_ request: ServerRequest, _ context: RouteContext) throws(RouteFailure) -> ServerResponse {
        try request.allowOnly(["days", "timezone"])
        let language = try request.language()
        let days = try request.integer("days", in: 1...90) ?? 30
        let zoneName = request.query["timezone"] ?? ServiceObjective.defaultTimeZone
        guard let zone = TimeZone(identifier: zoneName) else {
            throw .badParameter("timezone", "\"\(zoneName)\" is not an IANA time zone like Asia/Ho_Chi_Minh")
        }
        let readers = try context.stores.readers()
        let catalog = Catalog(configuration: context.configuration, readers: readers)
        let settings = context.configuration.server ?? ServerSettings()
        let shown: [String]
        if request.path == "/" {
            let all = catalog.providers(visibleTo: nil).map(\.id)
            shown = context.caller == .anonymous ? all.filter(settings.isPublic) : all.filter(context.caller.sees)
            if context.caller == .anonymous, shown.isEmpty { throw .unauthorized }
        } else {
            let id = String(request.path.dropFirst("/providers/".count))
            if context.caller == .anonymous {
                guard settings.isPublic(id), catalog.providers[id] != nil else { throw .unauthorized }
            } else {
                guard context.caller.sees(id), catalog.providers[id] != nil else { throw .notFound }
            }
            shown = [id]
        }
        let data = try StatusData(providers: shown, catalog: catalog, configuration: context.configuration, readers: readers,
                                  now: context.now, days: days, timeZone: zone)
        return .html(StatusPageHTML(data: data, language: language, timeZone: zone, request: request).render())
    }

    /// The HTML answer to a failed page request (with the JSON error's status and message).
    static func failurePage(_ failure: RouteFailure, _ request: ServerRequest) -> ServerResponse {
        let language = PageLanguage(rawValue: request.query["lang"] ?? "") ?? .vietnamese
        let message = switch failure.status {
        case 401: language.text(.unauthorized)
        case 404: language.text(.notFound)
        default: failure.message
        }
        var response = ServerResponse.html("""
            <!DOCTYPE html><html lang="\(language.rawValue)"><head><meta charset="utf-8">\
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(failure.status)</title></head>\
            <body><h1>\(failure.status)</h1><p>\(message.htmlEscaped)</p></body></html>
            """, status: failure.status)
        if failure.status == 401 { response.headers.append((name: "WWW-Authenticate", value: #"Bearer realm="ispwatch""#)) }
        return response
    }
}
