import Foundation
import Glibc
import Probing
import WatchCore

// Measures probes per second and CPU per probe of the TCP and ICMP probers against loopback,
// with a bounded number of probes and a bounded number in flight.

struct Measurement {
    var label: String
    var probes: Int
    var failures: Int
    var seconds: Double
    var userMicroseconds: Double
    var systemMicroseconds: Double

    func report() {
        let rate = Double(probes) / seconds
        let user = userMicroseconds / Double(probes)
        let system = systemMicroseconds / Double(probes)
        print(String(format: "%@: %d probes in %.2f s = %.0f/s, %d failed, CPU %.1f µs/probe (user %.1f + sys %.1f, this process)",
                     label, probes, seconds, rate, failures, user + system, user, system))
    }
}

func cpuMicroseconds() -> (user: Double, system: Double) {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return (Double(usage.ru_utime.tv_sec) * 1e6 + Double(usage.ru_utime.tv_usec),
            Double(usage.ru_stime.tv_sec) * 1e6 + Double(usage.ru_stime.tv_usec))
}

func measure(label: String, total: Int, inFlight: Int, probe: @escaping @Sendable (Int) async -> ProbeResult) async
    -> Measurement
{
    let cpuBefore = cpuMicroseconds()
    let started = ContinuousClock.now
    let failures = await withTaskGroup(of: Bool.self) { group in
        var submitted = 0
        var failures = 0
        while submitted < min(inFlight, total) {
            let index = submitted
            group.addTask { await probe(index).success }
            submitted += 1
        }
        for await success in group {
            if !success { failures += 1 }
            if submitted < total {
                let index = submitted
                group.addTask { await probe(index).success }
                submitted += 1
            }
        }
        return failures
    }
    let elapsed = ContinuousClock.now - started
    let cpuAfter = cpuMicroseconds()
    return Measurement(label: label, probes: total, failures: failures, seconds: elapsed.seconds,
                       userMicroseconds: cpuAfter.user - cpuBefore.user,
                       systemMicroseconds: cpuAfter.system - cpuBefore.system)
}

func startNginx() throws -> (Process, Int, URL) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ispwatch-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            _ = bind(descriptor, $0, length)
            _ = getsockname(descriptor, $0, &length)
        }
    }
    let port = Int(UInt16(bigEndian: address.sin_port))
    close(descriptor)
    let prefix = directory.path
    let workers = ProcessInfo.processInfo.environment["NGINX_WORKERS"] ?? "1"
    try """
        worker_processes \(workers);
        error_log \(prefix)/error.log;
        pid \(prefix)/nginx.pid;
        events { worker_connections 16384; }
        http {
            access_log off;
            client_body_temp_path \(prefix)/cb; proxy_temp_path \(prefix)/p; fastcgi_temp_path \(prefix)/f;
            uwsgi_temp_path \(prefix)/u; scgi_temp_path \(prefix)/s;
            server { listen 127.0.0.1:\(port) backlog=8192; return 204; }
        }
        """.write(toFile: "\(prefix)/nginx.conf", atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
    process.arguments = ["-p", prefix, "-c", "\(prefix)/nginx.conf", "-g", "daemon off;"]
    try process.run()
    usleep(300_000)
    return (process, port, directory)
}

let arguments = CommandLine.arguments.dropFirst()
let which = arguments.first ?? "all"
let scale = Int(ProcessInfo.processInfo.environment["PROBES"] ?? "") ?? 100_000
let inFlight = Int(ProcessInfo.processInfo.environment["IN_FLIGHT"] ?? "") ?? 500

if which == "tcp" || which == "all" {
    let (nginx, port, directory) = try startNginx()
    defer {
        nginx.terminate()
        nginx.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
    // CLOSE=graceful measures the FIN close (TIME_WAIT on our side) instead of the default RST.
    let graceful = ProcessInfo.processInfo.environment["CLOSE"] == "graceful"
    let prober = try TCPProber(configuration: .init(closeWithReset: !graceful))
    let spec = ProbeSpec.tcp(TCPProbeSpec(host: "127.0.0.1", port: port))
    _ = await measure(label: "warm-up", total: 2_000, inFlight: inFlight) { _ in
        await prober.probe(ProbeRequest(target: "bench", spec: spec, timeout: .seconds(5)))
    }
    let result = await measure(label: "TCP connect (nginx, \(inFlight) in flight, \(graceful ? "FIN" : "RST") close)", total: scale, inFlight: inFlight) { _ in
        await prober.probe(ProbeRequest(target: "bench", spec: spec, timeout: .seconds(5)))
    }
    result.report()
    await prober.shutdown()
}

if which == "icmp" || which == "all" {
    // ICMP_SOCKET=datagram|raw picks the socket (default: automatic).
    let kind = ICMPSocketKind(rawValue: ProcessInfo.processInfo.environment["ICMP_SOCKET"] ?? "") ?? .automatic
    let prober = try ICMPProber(configuration: .init(socketKind: kind))
    let spec = ProbeSpec.icmp(ICMPProbeSpec(host: "127.0.0.1", count: 1, spacing: .zero, maximumLoss: 0))
    _ = await measure(label: "warm-up", total: 5_000, inFlight: inFlight) { _ in
        await prober.probe(ProbeRequest(target: "bench", spec: spec, timeout: .seconds(5)))
    }
    let echoes = scale * 2
    let result = await measure(label: "ICMP echo 127.0.0.1 (count 1, \(inFlight) in flight, raw=\(prober.usesRawSocket(for: .v4) ?? false))",
                               total: echoes, inFlight: inFlight) { _ in
        await prober.probe(ProbeRequest(target: "bench", spec: spec, timeout: .seconds(5)))
    }
    result.report()
    await prober.shutdown()
}
