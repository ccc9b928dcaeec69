import Foundation
import Testing
import WatchCore
@testable import WatchServer

/// Every route, every role: a provider's token must never reveal another provider's identifiers or
/// figures, in any body, including aggregates, lists, reports and error messages.
@Suite(.serialized) struct TenantIsolationTests {
    /// Each route with the parameters that make it answer with data (and an aggregate for those that
    /// group), for a caller that may read provider `id` (nil: no provider parameter).
    static func routes(provider id: String?) -> [String] {
        let range = "from=" + TenantFixture.rfc3339(TenantFixture.nowMillis - TenantFixture.historyMillis)
            + "&to=" + TenantFixture.rfc3339(TenantFixture.nowMillis)
        let scoped = id.map { "&provider=\($0)" } ?? ""
        let target = id.flatMap { provider in TenantFixture.tenants.first { $0.id == provider }?.targets[0] } ?? "viettel-dns-hanoi"
        var routes = ["/", "/?lang=en", "/metrics", "/healthz", "/api/v1/providers", "/api/v1/targets", "/api/v1/alerts",
                      "/api/v1/results?target=\(target)&\(range)&limit=1000"]
        for grouping in ["target", "provider", "service", "vantage", "region", "series"] {
            routes.append("/api/v1/sla?\(range)&group_by=\(grouping)\(scoped)")
            routes.append("/api/v1/sla?\(range)&group_by=\(grouping)&bucket=day")
        }
        routes += [
            "/api/v1/targets?service=viettel-internet", "/api/v1/incidents?\(range)\(scoped)", "/api/v1/incidents?\(range)",
            "/api/v1/report?\(range)&format=html", "/api/v1/report?\(range)&format=json",
            "/api/v1/report?\(range)&format=csv&table=incidents", "/api/v1/report?\(range)&format=text",
            "/api/v1/report?\(range)&format=csv&table=daily\(scoped)", "/api/v1/report?\(range)&group_by=target,vantage,region",
        ]
        for tenant in TenantFixture.tenants {
            routes.append("/providers/\(tenant.id)")
            routes.append("/api/v1/sla?\(range)&provider=\(tenant.id)")
            routes.append("/api/v1/targets?provider=\(tenant.id)")
            routes.append("/api/v1/results?target=\(tenant.targets[0])&\(range)")
            routes.append("/api/v1/sla?\(range)&target=\(tenant.targets[0])")
        }
        return routes
    }

    @Test func noProviderTokenRevealsAnotherProvidersIdentifiersOrFigures() throws {
        let fixture = try TenantFixture()
        defer { fixture.remove() }
        let routes = fixture.routes()
        let figures = try TenantFixture.figuresByProvider(routes)
        var checked = 0
        for tenant in TenantFixture.tenants {
            let others = TenantFixture.tenants.filter { $0.id != tenant.id }
            let forbidden = others.flatMap { [$0.id, $0.name] + $0.targets + $0.services + (figures[$0.id] ?? []) }
            for path in Self.routes(provider: tenant.id) {
                let response = routes.respond(to: ServerRequest(target: path, authorization: "Bearer \(tenant.token)"))
                for word in forbidden {
                    #expect(!response.text.contains(word), "\(tenant.id) reads \"\(word)\" in \(path) (\(response.status))")
                }
                checked += 1
            }
            // Its own data is there: the isolation is not an empty answer.
            let own = routes.respond(to: ServerRequest(target: "/api/v1/targets", authorization: "Bearer \(tenant.token)"))
            #expect(own.status == 200 && tenant.targets.allSatisfy(own.text.contains))
        }
        #expect(checked > 100)
    }

    @Test func withoutAValidTokenOnlyPublicPagesAndHealthAnswer() throws {
        let fixture = try TenantFixture(publicProviders: ["fpt"])
        defer { fixture.remove() }
        let routes = fixture.routes()
        let hidden = TenantFixture.tenants.filter { $0.id != "fpt" }
        let forbidden = hidden.flatMap { [$0.id, $0.name] + $0.targets + $0.services }
        for authorization in [nil, "Bearer not-a-token", "Basic YWRtaW46YWRtaW4=", "Bearer "] as [String?] {
            for path in Self.routes(provider: nil) {
                let response = routes.respond(to: ServerRequest(target: path, authorization: authorization))
                for word in forbidden {
                    #expect(!response.text.contains(word), "\(authorization ?? "no token") reads \"\(word)\" in \(path)")
                }
                if path == "/healthz" {
                    #expect(response.status == 200)
                } else if authorization != nil {
                    #expect(response.status == 401, "\(path) with \(authorization!) answered \(response.status)")
                } else if path == "/" || path == "/?lang=en" || path == "/providers/fpt" {
                    #expect(response.status == 200, "\(path) answered \(response.status)")
                    #expect(response.text.contains("FPT Telecom"))
                } else {
                    #expect(response.status == 401, "\(path) answered \(response.status)")
                }
            }
        }
    }

    @Test func theRegulatorSeesEveryProvider() throws {
        let fixture = try TenantFixture()
        defer { fixture.remove() }
        let routes = fixture.routes()
        for path in ["/", "/api/v1/providers", "/api/v1/targets", "/api/v1/alerts", "/api/v1/report?format=text"] {
            let response = routes.respond(to: ServerRequest(target: path, authorization: "Bearer \(TenantFixture.adminToken)"))
            #expect(response.status == 200, "\(path): \(response.text.prefix(300))")
            for tenant in TenantFixture.tenants {
                #expect(response.text.contains(path.contains("report") || path == "/" ? tenant.name : tenant.id),
                        "\(path) lacks \(tenant.id)")
            }
        }
    }
}

extension TenantFixture {
    static func rfc3339(_ millis: Int64) -> String {
        Timestamp(nanosecondsSinceEpoch: millis * 1_000_000).description
    }

    /// Each provider's figures as the regulator reads them: availability per target and provider at
    /// full precision (distinct per provider, since they fail at different rates).
    static func figuresByProvider(_ routes: WatchRoutes) throws -> [String: [String]] {
        let range = "from=\(rfc3339(nowMillis - historyMillis))&to=\(rfc3339(nowMillis))"
        var figures: [String: [String]] = [:]
        for tenant in tenants {
            let response = routes.respond(to: ServerRequest(
                target: "/api/v1/sla?\(range)&provider=\(tenant.id)&group_by=provider", authorization: "Bearer \(adminToken)"))
            let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            let rows = object?["rows"] as? [[String: Any]] ?? []
            figures[tenant.id] = rows.compactMap { ($0["availability"] as? Double).map { String($0) } }
            #expect(figures[tenant.id]?.count == 1, "no figure for \(tenant.id): \(response.text)")
        }
        #expect(Set(figures.values.flatMap { $0 }).count == tenants.count, "the providers' figures must differ")
        return figures
    }
}
