import Logging
import LiveMetrics
import NIOCore
import ServiceLifecycle
import Testing
import WatchCore

/// The server on a real loopback socket, spoken to by curl.
@Suite struct MetricsServerTests {
    private let logger = Logger(label: "LiveMetricsTests")

    /// Runs a server on 127.0.0.1, port 0, in a ServiceGroup; gives `body` its base URL, then
    /// shuts the group down gracefully and checks that `run()` returned.
    private func withServer(
        _ metrics: ProbeMetrics, _ body: (_ baseURL: String) async throws -> Void
    ) async throws {
        let (bound, boundContinuation) = AsyncStream.makeStream(of: SocketAddress.self)
        let server = MetricsServer(address: MetricsAddress(host: "127.0.0.1", port: 0), metrics: metrics,
                                   logger: logger, onBound: { boundContinuation.yield($0) })
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var addresses = bound.makeAsyncIterator()
            guard let address = await addresses.next(), let port = address.port else {
                throw TestFixtureError("the server reported no bound port")
            }
            #expect(port != 0)
            try await body("http://127.0.0.1:\(port)")
            await group.triggerGracefulShutdown()
            // The group ends only when run() has returned; bounded so a hang fails instead of stalling.
            tasks.addTask {
                try await Task.sleep(for: .seconds(10))
                throw TestFixtureError("run() did not return within 10 s of graceful shutdown")
            }
            try await tasks.next()
            tasks.cancelAll()
        }
    }

    @Test func metricsAreServedWithThePrometheusContentType() async throws {
        let metrics = ProbeResults.registryOfEveryKind()
        try await withServer(metrics) { baseURL in
            let response = try await Curl.request("\(baseURL)/metrics")
            #expect(response.status == 200)
            #expect(response.contentType == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.body == metrics.renderText())
            let exposition = try ParsedExposition(response.body)
            #expect(try exposition.value("probe_http_status_code", ["target": "vnpt-portal"]) == 503)

            // A later scrape sees later results.
            metrics.record(ProbeResults.httpsSuccess(), series: ProbeResults.key("vnpt-portal", family: .v6),
                           labels: ProbeResults.labels("vnpt-portal", provider: "vnpt", kind: .http, family: .v6))
            let later = try ParsedExposition(try await Curl.request("\(baseURL)/metrics?scrape=2").body)
            #expect(try later.value("probe_http_status_code", ["target": "vnpt-portal"]) == 200)
        }
    }

    @Test func headAnswersWithTheHeadersOfAGetAndNoBody() async throws {
        let metrics = ProbeResults.registryOfEveryKind()
        try await withServer(metrics) { baseURL in
            let port = Int(baseURL.split(separator: ":").last!)!
            let response = try await RawHTTP.exchange(
                port: port, "HEAD /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(response.lowercased().contains("content-type: text/plain; version=0.0.4; charset=utf-8\r\n"))
            // A GET streams the exposition, so its HEAD says so too.
            #expect(response.lowercased().contains("transfer-encoding: chunked\r\n"))
            // Nothing after the blank line that ends the headers: no body, no chunk terminator.
            #expect(response.hasSuffix("\r\n\r\n"), "\(response)")
            #expect(!response.contains("probe_success"))

            let health = try await RawHTTP.exchange(
                port: port, "HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            #expect(health.lowercased().contains("content-length: 2\r\n"))
            #expect(health.hasSuffix("\r\n\r\n"), "\(health)")
        }
    }

    @Test func aLargeExpositionIsStreamedWhole() async throws {
        // About 7 MB: many pieces of the server's 256 KiB, sent as the socket drains.
        let metrics = ProbeMetrics()
        for index in 0..<2_000 {
            metrics.record(ProbeResults.httpsSuccess(), series: ProbeResults.key("portal-\(index)"),
                           labels: ProbeResults.labels("portal-\(index)", kind: .http))
        }
        try await withServer(metrics) { baseURL in
            let response = try await Curl.request("\(baseURL)/metrics")
            #expect(response.status == 200)
            #expect(response.headers.lowercased().contains("transfer-encoding: chunked"))
            let expected = metrics.renderText()
            #expect(expected.utf8.count > 2_000_000)
            #expect(response.body == expected)
        }
    }

    @Test func keptAliveConnectionServesSeveralRequests() async throws {
        try await withServer(ProbeMetrics()) { baseURL in
            let port = Int(baseURL.split(separator: ":").last!)!
            let response = try await RawHTTP.exchange(
                port: port,
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            // Each answer starts right after the previous body, which has no line ending of its own.
            let statuses = response.split(separator: "HTTP/1.1 ").map { $0.prefix { $0 != "\r\n" } }
            #expect(statuses == ["200 OK", "404 Not Found", "200 OK"])
            #expect(response.hasSuffix("\r\n\r\nok"))
        }
    }

    @Test func healthzSaysOK() async throws {
        try await withServer(ProbeMetrics()) { baseURL in
            let response = try await Curl.request("\(baseURL)/healthz")
            #expect(response.status == 200)
            #expect(response.body == "ok")
        }
    }

    @Test func otherPathsAndMethodsAreRefused() async throws {
        try await withServer(ProbeMetrics()) { baseURL in
            #expect(try await Curl.request("\(baseURL)/").status == 404)
            #expect(try await Curl.request("\(baseURL)/metrics/extra").status == 404)
            let post = try await Curl.request("\(baseURL)/metrics", method: "POST")
            #expect(post.status == 405)
            #expect(post.headers.lowercased().contains("allow: get, head"))
            #expect(try await Curl.request("\(baseURL)/healthz", method: "DELETE").status == 405)
        }
    }

    @Test func anAddressInUseIsNamedInTheError() async throws {
        try await withServer(ProbeMetrics()) { baseURL in
            let port = Int(baseURL.split(separator: ":").last!)!
            let address = MetricsAddress(host: "127.0.0.1", port: port)
            let second = MetricsServer(address: address, metrics: ProbeMetrics(), logger: logger)
            await #expect {
                try await second.run()
            } throws: { error in
                guard let error = error as? MetricsServerError else { return false }
                return error.address == address && "\(error)".contains("127.0.0.1:\(port)")
                    && "\(error)".lowercased().contains("in use")
            }
        }
    }

    @Test func gracefulShutdownClosesAKeptAliveConnection() async throws {
        let (bound, boundContinuation) = AsyncStream.makeStream(of: SocketAddress.self)
        let server = MetricsServer(address: MetricsAddress(host: "127.0.0.1", port: 0), metrics: ProbeMetrics(),
                                   logger: logger, onBound: { boundContinuation.yield($0) })
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        try await withThrowingTaskGroup(of: String?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var addresses = bound.makeAsyncIterator()
            guard let port = await addresses.next()?.port else { throw TestFixtureError("no bound port") }
            // A keep-alive request: the client waits for the server to close the connection.
            tasks.addTask {
                try await RawHTTP.exchange(port: port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            }
            try await Task.sleep(for: .milliseconds(300))
            await group.triggerGracefulShutdown()
            var answer: String?
            for try await result in tasks {
                if let result { answer = result }
            }
            // Both the exchange (connection closed by the server) and run() ended; RawHTTP's own
            // 10 s bound turns a connection left open into a failure.
            #expect(answer?.hasPrefix("HTTP/1.1 200 OK") == true)
            #expect(answer?.hasSuffix("ok") == true)
        }
    }
}
