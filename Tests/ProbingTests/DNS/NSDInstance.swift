import Foundation
import Probing
import WatchCore

/// A private nsd serving the `isp.test` zone on 127.0.0.1 and a free port, from a temporary
/// directory, killed when the scope ends (also when the body throws).
struct NSDInstance {
    static let binary = "/usr/sbin/nsd"
    /// How many A records `big.isp.test` holds: enough that the answer exceeds 512 bytes.
    static let bigRecordCount = 40

    let port: Int
    let directory: URL

    /// Starts nsd, runs `body`, kills nsd.
    static func with<T>(serverCount: Int = 1, _ body: (NSDInstance) async throws -> T) async throws -> T {
        // Another process may take the free port between our check and nsd's bind; try again then.
        for _ in 0..<2 {
            if let result = try await start(serverCount: serverCount, quietly: true, body) { return result }
        }
        return try await start(serverCount: serverCount, quietly: false, body)!
    }

    private static func start<T>(
        serverCount: Int, quietly: Bool, _ body: (NSDInstance) async throws -> T
    ) async throws -> T? {
        try await TemporaryDirectory.with("nsd") { directory in
            let instance = NSDInstance(port: try FreePort.forTCPAndUDP(), directory: directory)
            try instance.writeConfiguration(serverCount: serverCount)
            let arguments = ["-d", "-c", directory.appendingPathComponent("nsd.conf").path]
            // ChildProcess kills nsd's whole process group with SIGKILL: nsd inherits the test
            // runner's blocked signal mask and never sees a SIGTERM.
            return try await ChildProcess.with(binary, arguments) { nsd in
                guard try await instance.waitUntilServing(nsd, quietly: quietly) else { return nil }
                return try await body(instance)
            }
        }
    }

    private func writeConfiguration(serverCount: Int) throws {
        let path = directory.path
        let configuration = """
            server:
              ip-address: 127.0.0.1@\(port)
              username: ""
              chroot: ""
              zonesdir: "\(path)"
              pidfile: "\(path)/nsd.pid"
              zonelistfile: "\(path)/zone.list"
              xfrdfile: "\(path)/xfrd.state"
              xfrdir: "\(path)"
              database: ""
              logfile: "\(path)/nsd.log"
              server-count: \(serverCount)
              reuseport: \(serverCount > 1 ? "yes" : "no")
              verbosity: 0
              # Response rate limiting (on by default in Debian, 200 qps) would drop a load test.
              rrl-ratelimit: 0
              rrl-whitelist-ratelimit: 0
            remote-control:
              control-enable: no
            zone:
              name: isp.test
              zonefile: "\(path)/isp.test.zone"

            """
        var zone = """
            $ORIGIN isp.test.
            $TTL 300
            @     IN SOA   ns1.isp.test. hostmaster.isp.test. 2026112401 3600 900 604800 300
            @     IN NS    ns1.isp.test.
            @     IN MX    10 mail.isp.test.
            ns1   IN A     127.0.0.1
            www   IN A     192.0.2.10
            www   IN AAAA  2001:db8::10
            portal IN CNAME www.isp.test.
            mail  IN A     192.0.2.25
            info  IN TXT   "v=spf1 -all" "second string"
            @     IN CAA   0 issue "letsencrypt.org"

            """
        for index in 1...Self.bigRecordCount { zone += "big   IN A     198.51.100.\(index)\n" }
        try configuration.write(to: directory.appendingPathComponent("nsd.conf"), atomically: true, encoding: .utf8)
        try zone.write(to: directory.appendingPathComponent("isp.test.zone"), atomically: true, encoding: .utf8)
    }

    /// Polls the SOA until nsd answers, for at most five seconds.
    private func waitUntilServing(_ nsd: ChildProcess, quietly: Bool) async throws -> Bool {
        let prober = try DNSProber(configuration: .init(socketCount: 1))
        let serving = await nsd.waitUntil(timeout: .seconds(5), interval: .milliseconds(50)) {
            await prober.probe(request(name: "isp.test", type: .soa, timeout: .milliseconds(200))).success
        }
        await prober.shutdown()
        if serving || quietly { return serving }
        let log = (try? String(contentsOf: directory.appendingPathComponent("nsd.log"), encoding: .utf8)) ?? ""
        throw TestFixtureError("nsd did not start serving within 5 s: \(log)")
    }

    /// A probe request for this server.
    func request(
        name: String, type: DNSRecordType = .a, transport: DNSTransport = .udp, ednsBufferSize: Int? = 1232,
        expectations: DNSExpectations = DNSExpectations(), timeout: Duration = .seconds(2)
    ) -> ProbeRequest {
        ProbeRequest(
            target: "nsd", spec: .dns(DNSProbeSpec(
                server: "127.0.0.1", port: port, queryName: name, queryType: type, recursionDesired: false,
                transport: transport, ednsBufferSize: ednsBufferSize, expectations: expectations)),
            timeout: timeout)
    }
}
