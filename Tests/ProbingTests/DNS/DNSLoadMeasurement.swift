import Foundation
import Testing
import WatchCore

@testable import Probing

/// Throughput against nsd on loopback. Not a pass/fail test: it prints what it measured, and runs
/// only when `ISPWATCH_DNS_LOAD` is set (e.g. `ISPWATCH_DNS_LOAD=200000,1000,8,1,1` for probes,
/// concurrency, sockets, event-loop threads, nsd server count).
@Suite struct DNSLoadMeasurement {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ISPWATCH_DNS_LOAD"] != nil))
    func measureProbesPerSecondAgainstNSD() async throws {
        let fields = (ProcessInfo.processInfo.environment["ISPWATCH_DNS_LOAD"] ?? "")
            .split(separator: ",").compactMap { Int($0) }
        let probes = fields.count > 0 ? fields[0] : 200_000
        let concurrency = fields.count > 1 ? fields[1] : 1000
        let sockets = fields.count > 2 ? fields[2] : 8
        let threads = fields.count > 3 ? fields[3] : 1
        let servers = fields.count > 4 ? fields[4] : 1
        try await NSDInstance.with(serverCount: servers) { nsd in
            let prober = try DNSProber(configuration: .init(socketCount: sockets, eventLoopThreads: threads))
            let report = await DNSLoad.run(
                prober: prober, request: nsd.request(name: "www.isp.test", timeout: .seconds(2)),
                maximumProbes: probes, concurrency: concurrency, timeLimit: .seconds(60))
            let ignored = prober.ignoredReplies
            await prober.shutdown()
            print("DNS load (\(sockets) sockets, \(threads) loops, nsd ×\(servers), \(concurrency) in flight): \(report), ignored \(ignored)")
            #expect(report.probes > 0)
        }
    }
}
