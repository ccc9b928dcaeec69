import Alerting
import Foundation
import SeriesStore
import WatchCore
import WatchServer

/// A store of three providers whose every identifier is unique to it, with failures at different
/// rates (so each provider's figures differ), an alerts file, and tokens for every role.
struct TenantFixture {
    struct Tenant {
        var id: String
        var name: String
        var targets: [String]
        var services: [String]
        var failEvery: Int
        var token: String
    }

    static let tenants = [
        Tenant(id: "viettel", name: "Viettel Telecom", targets: ["viettel-dns-hanoi", "viettel-web-portal"],
               services: ["viettel-internet", "viettel-portal"], failEvery: 7, token: "token-viettel-5f1c2e"),
        Tenant(id: "vnpt", name: "VNPT Vinaphone", targets: ["vnpt-dns-hcm", "vnpt-mail-edge"],
               services: ["vnpt-fiber", "vnpt-mail"], failEvery: 11, token: "token-vnpt-9a7b3d"),
        Tenant(id: "fpt", name: "FPT Telecom", targets: ["fpt-dns-danang"], services: ["fpt-broadband"], failEvery: 13,
               token: "token-fpt-77c0aa"),
    ]
    static let adminToken = "token-admin-regulator-31d9"
    /// The fixed "now" of the routes: two days after the history starts.
    static let nowMillis: Int64 = 1_790_000_000_000 / 60_000 * 60_000
    static let historyMillis: Int64 = 2 * 86_400_000

    let directory: String
    let configuration: Configuration

    init(publicProviders: [String] = ["fpt"]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("watchserver-\(UUID().uuidString)").path
        var yaml = "providers:\n"
        for tenant in Self.tenants { yaml += "  - {id: \(tenant.id), name: \"\(tenant.name)\"}\n" }
        yaml += "targets:\n"
        for tenant in Self.tenants {
            for (index, target) in tenant.targets.enumerated() {
                yaml += "  - {id: \(target), provider: \(tenant.id), service: \(tenant.services[index]), tcp: {host: 127.0.0.1, port: 53}}\n"
            }
        }
        yaml += "server:\n  tokens:\n"
        yaml += "    - {hash: \"sha256:\(SHA256.hexDigest(of: Self.adminToken))\", role: admin}\n"
        for tenant in Self.tenants {
            yaml += "    - {hash: \"sha256:\(SHA256.hexDigest(of: tenant.token))\", role: \"provider:\(tenant.id)\"}\n"
        }
        yaml += "  public_status: [\(publicProviders.joined(separator: ", "))]\n"
        yaml += "  rate_limit: {requests_per_second: 100000, burst: 100000}\n"
        configuration = try Configuration.load(yaml: yaml, path: "fixture.yaml")
        try writeStore()
        try writeAlerts()
    }

    private func writeStore() throws {
        let writer = try StoreWriter(directory: directory)
        let start = Self.nowMillis - Self.historyMillis
        for tenant in Self.tenants {
            for (index, target) in tenant.targets.enumerated() {
                let id = try writer.register(
                    SeriesKey(target: TargetID(rawValue: target), vantage: "hanoi-1", family: .v4),
                    metadata: SeriesMetadata(provider: tenant.id, service: tenant.services[index], kind: .tcp, region: "north"))
                var results: [StoredResult] = []
                var slot = 0
                var time = start
                while time < Self.nowMillis {
                    // A run of failures every `failEvery` hours: incidents, and an availability per provider.
                    let failing = (slot / 120) % tenant.failEvery == 0 && slot % 120 < 10
                    results.append(StoredResult(
                        series: id, scheduledMillis: time, startMillis: time, success: !failing,
                        failure: failing ? .tcpRefused : nil, code: nil,
                        latencyMicros: UInt32(1_000 * (tenant.failEvery + index))))
                    slot += 1
                    time += 30_000
                }
                try writer.append(contentsOf: results)
            }
        }
        _ = try writer.flush()
        try writer.close()
    }

    private func writeAlerts() throws {
        try FileManager.default.createDirectory(atPath: directory + "/alerts", withIntermediateDirectories: true)
        var alerts: [AlertNotification] = []
        for tenant in Self.tenants {
            alerts.append(AlertNotification(
                key: AlertKey(alertName: "TargetDown", dedupKey: "TargetDown/\(tenant.targets[0])"), status: .firing,
                severity: .critical, labels: ["provider": tenant.id, "target": tenant.targets[0], "service": tenant.services[0]],
                annotations: ["summary": "\(tenant.targets[0]) is down"],
                startsAt: Timestamp(nanosecondsSinceEpoch: (Self.nowMillis - 600_000) * 1_000_000), endsAt: nil,
                createdAt: Timestamp(nanosecondsSinceEpoch: Self.nowMillis * 1_000_000)))
        }
        try ActiveAlertsFile(writtenAt: Timestamp(nanosecondsSinceEpoch: Self.nowMillis * 1_000_000), processID: 1, alerts: alerts)
            .write(data: directory)
    }

    /// The routes over this fixture, with the clock at ``nowMillis``.
    func routes() -> WatchRoutes {
        WatchRoutes(configuration: configuration, dataDirectories: [directory],
                    now: { Timestamp(nanosecondsSinceEpoch: TenantFixture.nowMillis * 1_000_000) })
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
