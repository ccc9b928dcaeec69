import Foundation
import Testing

/// Two `ispwatch run --shard i/2` processes of one vantage over one target list, against the lab's
/// nginx and nsd: together they store every target exactly once, and each says which shard it is.
@Suite(.serialized) struct ShardedRunTests {
    static let targetCount = 24

    /// Twelve HTTP and twelve DNS targets, all on the lab servers.
    static func configuration(_ lab: LabServers) -> String {
        var lines = [
            "vantage: {id: sharded}",
            "defaults: {interval: 1s, timeout: 500ms}",
            "providers: [{id: lab}]",
            "targets:",
        ]
        for index in 0..<targetCount / 2 {
            lines.append("  - {id: portal-\(index), provider: lab, service: web, http: {url: \"http://127.0.0.1:\(lab.httpPort)/\"}}")
            lines.append("  - {id: resolver-\(index), provider: lab, service: dns, "
                         + "dns: {server: 127.0.0.1, port: \(lab.dnsPort), query_name: www.isp.test}}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func twoShardsTogetherStoreEveryTargetExactlyOnce() async throws {
        let lab = try LabServers.start()
        defer { lab.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("fleet.yaml", Self.configuration(lab))
        let shards = try [1, 2].map { number in
            try RunningISPWatch(
                ["run", "--config", "fleet.yaml", "--data", "shard-\(number)", "--shard", "\(number)/2",
                 "--metrics-address", "127.0.0.1:0", "--no-sync"],
                in: directory)
        }
        for (index, shard) in shards.enumerated() {
            try shard.waitForLog("ispwatch run started")
            #expect(shard.standardError.contains("shard=\(index + 1)/2"), "\(shard.standardError)")
            // The runtime figures appear with the loop's first status, just after the start line.
            let shardInfo = "ispwatch_shard_info{vantage=\"sharded\",shard=\"\(index + 1)\",shards=\"2\"} 1"
            var metrics = ""
            for _ in 0..<20 {
                metrics = try ChildCommand.scrapeMetrics(port: try shard.metricsPort(), into: directory)
                if metrics.contains(shardInfo) { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(metrics.contains(shardInfo), "\(metrics.split(separator: "\n").filter { $0.contains("shard") })")
        }
        // Three probe cycles of 1 s each.
        try await Task.sleep(for: .seconds(3))
        for shard in shards { shard.send(SIGTERM) }
        for shard in shards { #expect(try shard.waitForExit() == 0, "\(shard.standardError)") }

        var owners: [String: [Int]] = [:]
        for number in [1, 2] {
            let export = try ISPWatchBinary.run(["export", "shard-\(number)"], in: directory)
            #expect(export.status == 0, "\(export.standardError)")
            let rows = export.standardOutput.split(whereSeparator: \.isNewline).dropFirst()
            // Columns: time, scheduled, target, provider, …; controls and vantage health have no provider.
            let targets = Set(rows.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
                .filter { $0.count > 3 && !$0[3].isEmpty }.map { String($0[2]) })
            #expect(!targets.isEmpty, "shard \(number) probed nothing")
            for target in targets { owners[target, default: []].append(number) }
        }
        #expect(owners.count == Self.targetCount, "targets stored: \(owners.keys.sorted())")
        #expect(owners.values.allSatisfy { $0.count == 1 }, "stored by both shards: \(owners.filter { $0.value.count > 1 })")
        // A report over both shards' stores accepts them: their target series are disjoint.
        let report = try ISPWatchBinary.run(
            ["report", "--data", "shard-1", "--data", "shard-2", "--period", "day", "--format", "json"], in: directory)
        #expect(report.status == 0, "\(report.standardError)")
    }

    @Test(arguments: ["0/2", "3/2", "1/0", "2", "one/two"])
    func aShardThatDoesNotExistIsAUsageError(shard: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("fleet.yaml", "providers: [{id: lab}]\ntargets: []\n")
        let run = try ISPWatchBinary.run(
            ["run", "--config", "fleet.yaml", "--data", "store", "--shard", shard], in: directory, timeout: 20)
        #expect(run.status == 2)
        #expect(run.standardError.contains("--shard"), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("store")), "a store was created for a refused shard")
    }
}
