import Probing
import Testing
import WatchCore

/// Many probes in flight on the one event loop.
@Suite struct HTTPProberConcurrencyTests {
    @Test func fiveThousandProbesWithFiveHundredInFlightAllSucceed() async throws {
        try await NginxFixture.with(workers: 2) { nginx in
            let prober = try HTTPProber()
            let request = ProbeRequest(target: "nginx", spec: .http(HTTPProbeSpec(url: nginx.url())),
                                       timeout: .seconds(10))
            let total = 5_000
            let inFlight = 500
            let started = ContinuousClock.now
            let (succeeded, failures) = await withTaskGroup(of: ProbeResult.self) { group in
                var launched = 0
                var succeeded = 0
                var failures: [String] = []
                while launched < min(inFlight, total) {
                    group.addTask { await prober.probe(request) }
                    launched += 1
                }
                for await result in group {
                    if result.success { succeeded += 1 } else if failures.count < 5 {
                        failures.append("\(result.failure?.rawValue ?? "?"): \(result.failureDetail ?? "")")
                    }
                    if launched < total {
                        group.addTask { await prober.probe(request) }
                        launched += 1
                    }
                }
                return (succeeded, failures)
            }
            let elapsed = ContinuousClock.now - started
            await prober.shutdown()
            #expect(succeeded == total, "failures: \(failures)")
            #expect(elapsed < .seconds(60), "took \(elapsed)")
        }
    }
}
