import Foundation
import Testing
import WatchCore
@testable import WatchServer

/// 401 for a missing or unknown token, 404 for another provider's data exactly as for data that
/// does not exist, 400s that name the parameter, 429 past the rate limit.
@Suite(.serialized) struct AccessSemanticsTests {
    static let viettel = "Bearer \(TenantFixture.tenants[0].token)"

    @Test func anotherProvidersDataIsA404IndistinguishableFromAMissingOne() throws {
        let fixture = try TenantFixture()
        defer { fixture.remove() }
        let routes = fixture.routes()
        let pairs = [
            ("/providers/vnpt", "/providers/no-such-isp"),
            ("/api/v1/sla?provider=vnpt", "/api/v1/sla?provider=no-such-isp"),
            ("/api/v1/targets?provider=fpt", "/api/v1/targets?provider=no-such-isp"),
            ("/api/v1/results?target=vnpt-dns-hcm", "/api/v1/results?target=no-such-target"),
            ("/api/v1/sla?target=fpt-dns-danang", "/api/v1/sla?target=no-such-target"),
            ("/api/v1/incidents?provider=vnpt", "/api/v1/incidents?provider=no-such-isp"),
            ("/api/v1/report?provider=vnpt&format=json", "/api/v1/report?provider=no-such-isp&format=json"),
            ("/api/v1/alerts?provider=fpt", "/api/v1/alerts?provider=no-such-isp"),
            ("/metrics", "/api/v1/no-such-route"),
        ]
        for (other, missing) in pairs {
            let forOther = routes.respond(to: ServerRequest(target: other, authorization: Self.viettel))
            let forMissing = routes.respond(to: ServerRequest(target: missing, authorization: Self.viettel))
            #expect(forOther.status == 404, "\(other) answered \(forOther.status)")
            #expect(forOther.body == forMissing.body, "\(other) and \(missing) must read the same")
        }
        // The regulator reads the same routes.
        let admin = routes.respond(to: ServerRequest(target: "/providers/vnpt", authorization: "Bearer \(TenantFixture.adminToken)"))
        #expect(admin.status == 200 && admin.text.contains("VNPT Vinaphone"))
    }

    @Test func missingOrUnknownTokensAre401WithAChallenge() throws {
        let fixture = try TenantFixture(publicProviders: [])
        defer { fixture.remove() }
        let routes = fixture.routes()
        for authorization in [nil, "Bearer wrong", "Bearer \(TenantFixture.tenants[0].token)x", "Token abc"] as [String?] {
            for path in ["/", "/providers/fpt", "/api/v1/sla", "/api/v1/providers", "/metrics", "/api/v1/no-such-route"] {
                let response = routes.respond(to: ServerRequest(target: path, authorization: authorization))
                #expect(response.status == 401, "\(path) with \(authorization ?? "none") answered \(response.status)")
                #expect(response.headers.contains { $0.name == "WWW-Authenticate" })
            }
        }
        // A browser may pass the token as access_token (RFC 6750 §2.3).
        let byQuery = routes.respond(to: ServerRequest(target: "/api/v1/providers?access_token=\(TenantFixture.adminToken)"))
        #expect(byQuery.status == 200)
    }

    @Test func badParametersAre400sThatNameTheParameterAndWhy() throws {
        let fixture = try TenantFixture()
        defer { fixture.remove() }
        let routes = fixture.routes()
        let cases: [(String, String, String)] = [
            ("/api/v1/sla?from=yesterday", "from", "RFC 3339"),
            ("/api/v1/sla?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to", "after from"),
            ("/api/v1/sla?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from", "longer than 400 days"),
            ("/api/v1/sla?group_by=planet", "group_by", "not one of"),
            ("/api/v1/sla?bucket=week", "bucket", "not one of"),
            ("/api/v1/sla?timezone=Mars/Olympus", "timezone", "IANA"),
            ("/api/v1/sla?form=2026-01-01T00:00:00Z", "form", "unknown parameter"),
            ("/api/v1/results", "target", "required"),
            ("/api/v1/results?target=viettel-dns-hanoi&limit=5000", "limit", "1 to 1000"),
            ("/api/v1/results?target=viettel-dns-hanoi&after=xyz", "after", "cursor"),
            ("/api/v1/results?target=viettel-dns-hanoi&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z", "from", "7 days"),
            ("/api/v1/incidents?open=maybe", "open", "not one of"),
            ("/api/v1/report?format=pdf", "format", "not one of"),
            ("/api/v1/report?table=incidents", "table", "format=csv"),
            ("/api/v1/report?period=fortnight", "period", "not one of"),
            ("/api/v1/report?group_by=provider,planet", "group_by", "planet"),
            ("/api/v1/report?timezone=Nowhere/City", "timezone", "timezone"),
            ("/?days=400", "days", "1 to 90"),
            ("/?lang=fr", "lang", "not one of"),
        ]
        for (path, parameter, reason) in cases {
            let response = routes.respond(to: ServerRequest(target: path, authorization: Self.viettel))
            #expect(response.status == 400, "\(path) answered \(response.status): \(response.text)")
            if path.hasPrefix("/api") {
                let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
                #expect(object?["parameter"] as? String == parameter, "\(path): \(response.text)")
                #expect((object?["error"] as? String)?.contains(reason) == true, "\(path): \(response.text)")
            } else {
                #expect(response.text.contains(parameter) && response.text.contains(reason), "\(path): \(response.text)")
            }
        }
    }

    @Test func aClientPastItsRateIsRefusedUntilItsBucketRefills() throws {
        let clock = ManualClock()
        let limiter = RateLimiter(perSecond: 2, burst: 3, now: { clock.seconds })
        #expect((0..<3).allSatisfy { _ in limiter.admit("10.0.0.1") })
        #expect(!limiter.admit("10.0.0.1"))
        #expect(limiter.admit("10.0.0.2"), "another client has its own bucket")
        clock.advance(0.5)
        #expect(limiter.admit("10.0.0.1"))
        #expect(!limiter.admit("10.0.0.1"))
    }

    @Test func theRateLimitAnswers429WithRetryAfter() throws {
        let fixture = try TenantFixture()
        defer { fixture.remove() }
        var configuration = fixture.configuration
        configuration.server?.requestsPerSecond = 1
        configuration.server?.burst = 2
        let clock = ManualClock()
        let routes = WatchRoutes(configuration: configuration, dataDirectories: [fixture.directory], monotonicSeconds: { clock.seconds })
        let statuses = (0..<3).map { _ in
            routes.respond(to: ServerRequest(target: "/api/v1/providers", authorization: Self.viettel, client: "192.0.2.7")).status
        }
        #expect(statuses == [200, 200, 429])
        let refused = routes.respond(to: ServerRequest(target: "/api/v1/providers", authorization: Self.viettel, client: "192.0.2.7"))
        #expect(refused.headers.contains { $0.name == "Retry-After" })
        #expect(routes.respond(to: ServerRequest(target: "/healthz", client: "192.0.2.7")).status == 200, "health is never limited")
    }

    @Test func onlyGetAndHeadAreAnswered() throws {
        let fixture = try TenantFixture()
        defer { fixture.remove() }
        let response = fixture.routes().respond(to: ServerRequest(method: "POST", target: "/api/v1/sla", authorization: Self.viettel))
        #expect(response.status == 405)
    }
}

/// A clock tests move by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 1_000.0

    var seconds: Double { lock.withLock { value } }

    func advance(_ by: Double) { lock.withLock { value += by } }
}
