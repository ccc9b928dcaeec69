import Probing
import Testing
import WatchCore

/// `ProbeEngine.start(_:onResult:)`: HTTP probes without a task each, the way `ispwatch run`
/// starts them, spread over several event loops.
@Suite struct HTTPProberTasklessStartTests {
    @Test func startedProbesReportOnceEachWithTheReasonsOfAwaitedProbes() async throws {
        try await NginxFixture.with { nginx in
            try await FreePort.withClosedPort { closedPort in
                let configuration = ProbeEngine.Configuration(http: .init(eventLoops: 3))
                try await ProbeEngine.withEngine(configuration: configuration) { engine in
                    let specs: [TargetID: HTTPProbeSpec] = [
                        "ok": HTTPProbeSpec(url: nginx.url()),
                        "error-status": HTTPProbeSpec(url: nginx.url("/error")),
                        "refused": HTTPProbeSpec(url: "http://127.0.0.1:\(closedPort)/"),
                    ]
                    let requests = (0..<300).map { index in
                        let target = specs.keys.sorted()[index % specs.count]
                        return ProbeRequest(target: target, spec: .http(specs[target]!), timeout: .seconds(5))
                    }
                    var expected: [TargetID: FailureReason?] = [:]
                    for (target, spec) in specs {
                        expected[target] = await engine.probe(ProbeRequest(target: target, spec: .http(spec))).failure
                    }
                    #expect(expected["ok"] == .some(nil))
                    #expect(expected["error-status"] == .some(.httpStatus))
                    #expect(expected["refused"] == .some(.tcpRefused))

                    let (results, sink) = AsyncStream.makeStream(of: ProbeResult.self)
                    for request in requests {
                        #expect(engine.start(request) { sink.yield($0) })
                    }
                    var reported: [TargetID: Int] = [:]
                    var received = 0
                    for await result in results {
                        reported[result.target, default: 0] += 1
                        #expect(result.failure == expected[result.target] ?? nil, "\(result.target): \(result.failureDetail ?? "")")
                        received += 1
                        // Every probe ends by its 5 s timeout; the loop ends at the last result.
                        if received == requests.count { break }
                    }
                    #expect(reported == ["ok": 100, "error-status": 100, "refused": 100])
                    #expect(engine.probesInFlight == 0)
                }
            }
        }
    }

    @Test func startDeclinesKindsThatRunOnlyAsATask() async throws {
        try await ProbeEngine.withEngine { engine in
            let request = ProbeRequest(
                target: "dns", spec: .dns(DNSProbeSpec(server: "127.0.0.1", queryName: "www.isp.test")))
            let started = engine.start(request) { _ in Issue.record("a declined probe must not report") }
            #expect(!started)
            #expect(engine.probesInFlight == 0)
        }
    }

    @Test func aProbeStartedAfterShutdownReportsAProberError() async throws {
        let engine = try ProbeEngine()
        await engine.shutdown()
        let (results, sink) = AsyncStream.makeStream(of: ProbeResult.self)
        let started = engine.start(ProbeRequest(target: "late", spec: .http(HTTPProbeSpec(url: "http://127.0.0.1:9/")))) {
            sink.yield($0)
            sink.finish()
        }
        #expect(started)
        var iterator = results.makeAsyncIterator()
        let result = await iterator.next()
        #expect(result?.failure == .proberError)
        #expect(result?.failureDetail == "the HTTP prober was shut down")
        #expect(engine.probesInFlight == 0)
    }
}
