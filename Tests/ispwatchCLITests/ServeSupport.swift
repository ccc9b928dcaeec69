import Foundation
import Testing
import WatchCore

/// A synthetic store and a configuration with names, tokens and one public provider, for the
/// `ispwatch serve` tests.
struct ServeFixture {
    static let adminToken = "serve-admin-7d41f0"
    static let providerToken = "serve-provider0-2b9e55"
    static let names = ["provider-0": "Alpha Net", "provider-1": "Beta Telecom"]

    let directory: TemporaryDirectory

    /// Chromium's switch that lets it reach the server on loopback and nothing else (the last
    /// `--host-resolver-rules` wins over HeadlessChromium's, which refuses every host).
    static let loopbackOnly = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"

    /// `days` of synthetic history of 30 targets over two providers, ending now.
    init(days: Int = 3) throws {
        directory = try TemporaryDirectory()
        let start = ServeFixture.timestamp(Date().addingTimeInterval(-Double(days) * 86_400))
        let minute = Timestamp(nanosecondsSinceEpoch: start.nanosecondsSinceEpoch / 60_000_000_000 * 60_000_000_000)
        let synth = try ISPWatchBinary.run([
            "synth", "store", "--targets", "30", "--days", "\(days)", "--interval", "60", "--providers", "2",
            "--start", minute.description,
        ], in: directory)
        guard synth.status == 0 else { throw CLITestError("synth failed: \(synth.standardError)") }
        try directory.write("serve.yaml", Self.configuration(extra: ""))
    }

    /// `ispwatch serve` over the store on any free port, and that port.
    func startServe() throws -> (RunningISPWatch, Int) {
        let serve = try RunningISPWatch(
            ["serve", "--config", "serve.yaml", "--data", "store", "--address", "127.0.0.1:0"], in: directory)
        do {
            return (serve, try serve.servePort())
        } catch {
            serve.send(SIGKILL)
            throw error
        }
    }

    /// The providers and the server section; `extra` is appended (targets, a vantage).
    static func configuration(extra: String) -> String {
        """
        providers:
          - {id: provider-0, name: "Alpha Net"}
          - {id: provider-1, name: "Beta Telecom"}
        server:
          tokens:
            - {hash: "sha256:\(sha256(adminToken))", role: admin}
            - {hash: "sha256:\(sha256(providerToken))", role: "provider:provider-0"}
          public_status: [provider-1]
        \(extra)
        """
    }

    /// coreutils' sha256sum of `text` (the test does not trust the server's own hash to check it).
    static func sha256(_ text: String) -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("serve-token-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try? text.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try? ChildCommand.run("/usr/bin/sha256sum", [file])
        return String((result?.output ?? "").prefix(64))
    }

    /// `date` as a timestamp.
    static func timestamp(_ date: Date) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: Int64(date.timeIntervalSince1970 * 1e9))
    }

    /// Where screenshots are kept: `.build/artifacts` of the package (gitignored).
    static func artifactPath(_ name: String) -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let directory = root.appendingPathComponent(".build/artifacts").path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/" + name
    }
}

extension RunningISPWatch {
    /// The port of the status pages and API, from the log line the server writes once bound.
    func servePort() throws -> Int {
        try loggedPort(after: "serving status pages and API", field: "serve.port")
    }
}

/// An HTTP GET with curl: the status and the body.
enum ServeClient {
    static func get(port: Int, _ path: String, token: String? = nil, in directory: TemporaryDirectory) throws -> (status: Int, body: String) {
        let bodyFile = directory.file(".curl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: bodyFile) }
        var arguments = ["-s", "--max-time", "60", "-o", bodyFile, "-w", "%{http_code}"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        let result = try ChildCommand.run("/usr/bin/curl", arguments + ["http://127.0.0.1:\(port)\(path)"])
        guard let status = Int(result.output.suffix(3)) else { throw CLITestError("curl \(path): \(result.output)") }
        return (status, (try? String(contentsOfFile: bodyFile, encoding: .utf8)) ?? "")
    }

    static func json(port: Int, _ path: String, token: String?, in directory: TemporaryDirectory) throws -> [String: Any] {
        let (status, body) = try get(port: port, path, token: token, in: directory)
        guard status == 200, let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            throw CLITestError("\(path) answered \(status): \(body.prefix(500))")
        }
        return object
    }
}
