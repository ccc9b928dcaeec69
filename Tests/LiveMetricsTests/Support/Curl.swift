import Foundation

/// The `curl` binary, as a user (or a Prometheus scrape) would hit the metrics server.
enum Curl {
    static let path = "/usr/bin/curl"

    struct Response {
        var status: Int
        var contentType: String
        var headers: String
        var body: String
    }

    /// Makes one request and returns the response; waits for curl without blocking a thread.
    ///
    /// - Parameters:
    ///   - method: `GET`, `HEAD` (curl's `--head`) or any other verb.
    static func request(_ url: String, method: String = "GET") async throws -> Response {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestFixtureError("\(path) is missing: run scripts/install-deps.sh")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("livemetrics-curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bodyFile = directory.appendingPathComponent("body")
        let headerFile = directory.appendingPathComponent("headers")
        let summaryFile = directory.appendingPathComponent("summary")
        _ = FileManager.default.createFile(atPath: summaryFile.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        var arguments = ["--silent", "--show-error", "--max-time", "10", "--output", bodyFile.path,
                         "--dump-header", headerFile.path, "--write-out", "%{http_code} %{content_type}"]
        arguments += method == "HEAD" ? ["--head"] : ["--request", method]
        process.arguments = arguments + [url]
        process.standardOutput = try FileHandle(forWritingTo: summaryFile)
        process.standardError = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        guard status == 0 else { throw TestFixtureError("curl \(method) \(url) exited with status \(status)") }
        let summary = try String(contentsOf: summaryFile, encoding: .utf8)
        let code = summary.prefix { $0 != " " }
        return Response(
            status: Int(code) ?? -1,
            contentType: String(summary.dropFirst(code.count + 1)),
            headers: (try? String(contentsOf: headerFile, encoding: .utf8)) ?? "",
            body: (try? String(contentsOf: bodyFile, encoding: .utf8)) ?? "")
    }
}
