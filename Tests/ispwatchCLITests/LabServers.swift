import Foundation

/// nginx and nsd on loopback, started by the project's own `scripts/lab/start-test-servers.sh`
/// (the script the benchmarks use), stopped when the test ends.
struct LabServers {
    var directory: String
    var httpPort: Int
    var httpsPort: Int
    var dnsPort: Int

    static func with<Result>(_ body: (LabServers) throws -> Result) throws -> Result {
        let lab = try start()
        defer { lab.stop() }
        return try body(lab)
    }

    /// Starts the servers; the caller must `stop()` them (`with` does it for synchronous tests).
    static func start() throws -> LabServers {
        let directory = NSTemporaryDirectory() + "ispwatch-cli-\(UUID().uuidString)"
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let script = repository.appendingPathComponent("scripts/lab/start-test-servers.sh").path
        for binary in ["/usr/sbin/nginx", "/usr/sbin/nsd", "/usr/bin/openssl"]
        where !FileManager.default.isExecutableFile(atPath: binary) {
            throw CLITestError("\(binary) is missing: run scripts/install-deps.sh")
        }
        // system(3), not Process: the servers outlive the script and inherit its descriptors, and
        // Foundation's Process then never reports the script's exit.
        let status = system("/bin/bash '\(script)' '\(directory)' 1 >/dev/null 2>&1")
        guard status == 0,
              let env = try? String(contentsOfFile: directory + "/ports.env", encoding: .utf8)
        else {
            LabServers(directory: directory, httpPort: 0, httpsPort: 0, dnsPort: 0).stop()
            throw CLITestError("start-test-servers.sh failed (status \(status))")
        }
        var ports: [String: Int] = [:]
        for line in env.split(separator: "\n") {
            let parts = line.split(separator: "=")
            if parts.count == 2 { ports[String(parts[0])] = Int(parts[1]) }
        }
        let lab = LabServers(directory: directory, httpPort: ports["HTTP_PORT"] ?? 0, httpsPort: ports["HTTPS_PORT"] ?? 0,
                             dnsPort: ports["DNS_PORT"] ?? 0)
        guard lab.httpPort != 0, lab.httpsPort != 0, lab.dnsPort != 0 else {
            lab.stop()
            throw CLITestError("ports.env lacks a port: \(env)")
        }
        return lab
    }

    /// Kills the servers and removes their directory.
    func stop() {
        for file in ["nginx.pid", "nsd.pid"] {
            if let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8),
               let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                // Each server leads its own process group (see the script); nsd inherits the test
                // runner's blocked signals, so only SIGKILL is sure to land.
                kill(-pid, SIGKILL)
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
