import Benchmark
import Foundation
import Probing
import Synchronization
import WatchCore

// Probe throughput per kind against real servers on loopback (nginx, nsd), started once for the
// suite by scripts/lab/start-test-servers.sh. Each iteration runs a fixed batch of probes with a
// fixed number in flight; `throughput` is then batches/s, so probes/s = throughput × batch size.

let benchmarks: @Sendable () -> Void = {
    // Servers and engine start in the suite's setup hook, which runs only in the process that runs
    // benchmarks (not in the one that lists them), and stop in its teardown hook.
    Benchmark.setup = {
        let servers = try TestServers.start()
        Lab.shared.withLock { $0 = (servers, try? ProbeEngine()) }
    }
    Benchmark.teardown = {
        let lab = Lab.shared.withLock { lab in defer { lab = nil }; return lab }
        await lab?.engine?.shutdown()
        lab?.servers.stop()
    }

    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal],
        timeUnits: .milliseconds,
        maxDuration: .seconds(10),
        maxIterations: 20
    )

    func batch(_ name: String, size: Int, inFlight: Int, spec: @escaping @Sendable (TestServers) -> ProbeSpec) {
        Benchmark("\(name) ×\(size), \(inFlight) in flight", configuration: configuration) { benchmark in
            guard let (servers, engine) = Lab.shared.withLock({ $0 }), let engine else {
                fatalError("the benchmark's servers or probe engine did not start")
            }
            let request = ProbeRequest(target: TargetID(name), spec: spec(servers), timeout: .seconds(5))
            var failures = 0
            benchmark.startMeasurement()
            await engine.run(Array(repeating: request, count: size), maximumInFlight: inFlight) { result in
                if !result.success { failures += 1 }
            }
            benchmark.stopMeasurement()
            precondition(failures == 0, "\(failures) of \(size) \(name) probes failed")
        }
    }

    batch("http", size: 10_000, inFlight: 500) { .http(HTTPProbeSpec(url: "http://127.0.0.1:\($0.httpPort)/")) }
    batch("https", size: 1_000, inFlight: 200) {
        .http(HTTPProbeSpec(url: "https://127.0.0.1:\($0.httpsPort)/", caFile: $0.caFile))
    }
    batch("tcp", size: 10_000, inFlight: 500) { .tcp(TCPProbeSpec(host: "127.0.0.1", port: $0.httpPort)) }
    batch("icmp", size: 20_000, inFlight: 1_000) { _ in .icmp(ICMPProbeSpec(host: "127.0.0.1", count: 1)) }
    batch("dns", size: 100_000, inFlight: 2_000) {
        .dns(DNSProbeSpec(server: "127.0.0.1", port: $0.dnsPort, queryName: "www.isp.test"))
    }
}

/// What the setup hook started, for the benchmarks and the teardown hook.
enum Lab {
    static let shared = Mutex<(servers: TestServers, engine: ProbeEngine?)?>(nil)
}

/// nginx and nsd on loopback, started by the project's own script.
struct TestServers: Sendable {
    var directory: String
    var httpPort: Int
    var httpsPort: Int
    var dnsPort: Int
    var caFile: String { directory + "/ca.pem" }

    static func start() throws -> TestServers {
        let directory = NSTemporaryDirectory() + "ispwatch-bench-\(getpid())"
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/lab/start-test-servers.sh")
        // system(3), not Process: the servers outlive the script and inherit its descriptors, and
        // Foundation's Process then never reports the script's exit.
        guard system("/bin/bash '\(script.path)' '\(directory)' 1 >/dev/null 2>&1") == 0 else {
            throw CocoaError(.fileReadUnknown)
        }
        let env = try String(contentsOfFile: directory + "/ports.env", encoding: .utf8)
        var ports: [String: Int] = [:]
        for line in env.split(separator: "\n") {
            let parts = line.split(separator: "=")
            if parts.count == 2 { ports[String(parts[0])] = Int(parts[1]) }
        }
        return TestServers(
            directory: directory, httpPort: ports["HTTP_PORT"] ?? 0, httpsPort: ports["HTTPS_PORT"] ?? 0,
            dnsPort: ports["DNS_PORT"] ?? 0)
    }

    func stop() {
        for file in ["nginx.pid", "nsd.pid"] {
            if let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8),
               let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                kill(-pid, SIGKILL)  // the server's whole process group, workers included
            }
        }
    }
}
