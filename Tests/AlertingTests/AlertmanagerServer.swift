#if canImport(Glibc)
import Glibc
#endif
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A real Alertmanager on 127.0.0.1, on a free port, with its storage and a minimal configuration in
/// a temporary directory; stopped (SIGTERM) and restartable on the same port and storage.
final class AlertmanagerServer: @unchecked Sendable {
    static let binary = "/usr/bin/prometheus-alertmanager"

    let port: Int
    let directory: String
    private var process: Process?

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw FixtureError("\(Self.binary) is missing: run scripts/install-deps.sh (Debian package prometheus-alertmanager)")
        }
        port = try Self.freePort()
        directory = temporaryDirectory("alertmanager")
        // No notification is sent anywhere: the tests read what Alertmanager holds through its API.
        let configuration = """
            route:
              receiver: "null"
            receivers:
              - name: "null"
            """
        try configuration.write(toFile: directory + "/alertmanager.yml", atomically: true, encoding: .utf8)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts it and waits (at most 15 s) until `/-/ready` answers 200.
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--config.file=\(directory)/alertmanager.yml", "--storage.path=\(directory)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
        ]
        let log = FileHandle(forWritingAtPath: directory + "/log") ?? {
            _ = FileManager.default.createFile(atPath: directory + "/log", contents: nil)
            return FileHandle(forWritingAtPath: directory + "/log")!
        }()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if !process.isRunning { break }
            if let (_, response) = try? await URLSession.shared.data(from: baseURL.appendingPathComponent("-/ready")),
               (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let output = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
        stop()
        throw FixtureError("Alertmanager did not become ready on port \(port) within 15 s:\n\(output.suffix(2_000))")
    }

    /// Stops it (SIGTERM) and waits for it to exit.
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    /// `GET /api/v2/alerts`: the alerts it holds as active (resolved ones are not listed).
    func alerts() async throws -> [[String: Any]] {
        let (data, response) = try await URLSession.shared.data(from: baseURL.appendingPathComponent("api/v2/alerts"))
        guard (response as? HTTPURLResponse)?.statusCode == 200,
              let alerts = try JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        else { throw FixtureError("GET /api/v2/alerts failed: \(String(decoding: data, as: UTF8.self))") }
        return alerts
    }

    /// The alert whose labels include `labels`, if Alertmanager lists it.
    func alert(matching labels: [String: String]) async throws -> [String: Any]? {
        try await alerts().first { alert in
            let have = alert["labels"] as? [String: String] ?? [:]
            return labels.allSatisfy { have[$0.key] == $0.value }
        }
    }

    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw FixtureError("socket: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw FixtureError("bind 127.0.0.1:0: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
