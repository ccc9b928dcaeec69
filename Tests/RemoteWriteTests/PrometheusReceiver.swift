import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real Prometheus with the remote-write receiver on a free loopback port, its TSDB in a
/// temporary directory: what the sender is tested against. Killed when released.
final class PrometheusReceiver {
    static let binary = "/usr/bin/prometheus"

    let port: Int
    let directory: TemporaryDirectory
    private let process = Process()

    var writeURL: String { "http://127.0.0.1:\(port)/api/v1/write" }

    /// Starts Prometheus and waits until it is ready; throws (saying how to install it) when missing.
    init() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw ReceiverError("\(Self.binary) is missing: run scripts/install-deps.sh (Debian package prometheus)")
        }
        directory = try TemporaryDirectory()
        port = try Self.freePort()
        try "global: {}\n".write(toFile: directory.path + "/prometheus.yml", atomically: true, encoding: .utf8)
        let log = directory.path + "/log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--config.file=\(directory.path)/prometheus.yml", "--storage.tsdb.path=\(directory.path)/tsdb",
            "--web.listen-address=127.0.0.1:\(port)", "--web.enable-remote-write-receiver",
        ]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            if (try? await get("/-/ready")) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ReceiverError("Prometheus not ready on \(port) within 20 s")
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// The value of the instant `promql` at `time` (Unix seconds) summed over its series.
    func total(_ promql: String, at time: Double) async throws -> Double {
        var components = URLComponents(string: "http://127.0.0.1:\(port)/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: promql), URLQueryItem(name: "time", value: "\(time)")]
        let data = try await get(components.url!.absoluteString.replacingOccurrences(of: "http://127.0.0.1:\(port)", with: ""))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let results = (json?["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []
        return results.reduce(0) { $0 + (Double(($1["value"] as? [Any])?.last as? String ?? "") ?? .nan) }
    }

    private func get(_ path: String) async throws -> Data {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)" + path)!)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw ReceiverError("GET \(path) failed") }
        return data
    }

    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw ReceiverError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct ReceiverError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
