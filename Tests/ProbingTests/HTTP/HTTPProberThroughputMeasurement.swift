import Foundation
import Probing
import Testing
import WatchCore

/// Measures probes per second and CPU per probe against a local nginx. Not a pass/fail test of
/// speed (the numbers depend on the machine): it runs only with `ISPWATCH_HTTP_MEASURE=1`, in a
/// release build, and prints what it saw, e.g.
/// `ISPWATCH_HTTP_MEASURE=1 swift test -c release --filter HTTPProberThroughputMeasurement`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ISPWATCH_HTTP_MEASURE"] == "1"))
struct HTTPProberThroughputMeasurement {
    private static let environment = ProcessInfo.processInfo.environment
    private static let inFlight = Int(environment["ISPWATCH_HTTP_MEASURE_IN_FLIGHT"] ?? "") ?? 500
    private static let workers = Int(environment["ISPWATCH_HTTP_MEASURE_WORKERS"] ?? "") ?? 1

    @Test func freshConnectionHTTPProbes() async throws {
        let count = Int(Self.environment["ISPWATCH_HTTP_MEASURE_COUNT"] ?? "") ?? 100_000
        try await NginxFixture.with(workers: Self.workers) { nginx in
            try await measure("HTTP", HTTPProbeSpec(url: nginx.url()), count: count)
        }
    }

    @Test func fullHandshakeHTTPSProbes() async throws {
        let count = Int(Self.environment["ISPWATCH_HTTP_MEASURE_TLS_COUNT"] ?? "") ?? 20_000
        try await NginxFixture.with(workers: Self.workers) { nginx in
            try await measure("HTTPS", HTTPProbeSpec(url: nginx.url(tls: true), caFile: nginx.certificates.caFile),
                              count: count)
        }
    }

    /// Every probe verifies against the system CA bundle (and fails: the test CA is not in it),
    /// which shows what the bundle costs per handshake.
    @Test func fullHandshakeHTTPSProbesAgainstTheSystemBundle() async throws {
        let count = Int(Self.environment["ISPWATCH_HTTP_MEASURE_TLS_COUNT"] ?? "") ?? 20_000
        try await NginxFixture.with(workers: Self.workers) { nginx in
            try await measure("HTTPS (system CA bundle, untrusted peer)", HTTPProbeSpec(url: nginx.url(tls: true)),
                              count: count, expectedFailure: .tlsCertificateInvalid)
        }
    }

    private func measure(
        _ label: String, _ spec: HTTPProbeSpec, count: Int, expectedFailure: FailureReason? = nil
    ) async throws {
        let prober = try HTTPProber()
        let request = ProbeRequest(target: "bench", spec: .http(spec), timeout: .seconds(10))
        // Warm up: fills the handle pool and the page cache outside the measured window.
        _ = await run(prober, request, count: Self.inFlight, inFlight: Self.inFlight, deadline: .now + .seconds(10))
        let cpuBefore = Self.processCPU()
        let started = ContinuousClock.now
        let (done, succeeded, failures) = await run(prober, request, count: count, inFlight: Self.inFlight,
                                                    deadline: started + .seconds(60))
        let elapsed = ContinuousClock.now - started
        let cpu = Self.processCPU() - cpuBefore
        await prober.shutdown()
        let rate = Double(done) / elapsed.seconds
        print(
            "[measure] \(label): \(done) probes (\(succeeded) ok) with \(Self.inFlight) in flight in "
                + "\(String(format: "%.2f", elapsed.seconds)) s = \(Int(rate)) probes/s; prober CPU "
                + "\(String(format: "%.1f", cpu * 1e6 / Double(done))) µs/probe "
                + "(\(String(format: "%.0f", cpu / elapsed.seconds * 100)) % of one core); failures: \(failures)")
        if let expectedFailure {
            #expect(failures == [expectedFailure.rawValue: done])
        } else {
            #expect(succeeded == done)
        }
    }

    private func run(_ prober: HTTPProber, _ request: ProbeRequest, count: Int, inFlight: Int,
                     deadline: ContinuousClock.Instant) async -> (Int, Int, [String: Int]) {
        await withTaskGroup(of: ProbeResult.self) { group in
            var launched = 0
            var done = 0
            var succeeded = 0
            var failures: [String: Int] = [:]
            while launched < min(inFlight, count) {
                group.addTask { await prober.probe(request) }
                launched += 1
            }
            for await result in group {
                done += 1
                if result.success { succeeded += 1 } else { failures[result.failure?.rawValue ?? "?", default: 0] += 1 }
                if launched < count && ContinuousClock.now < deadline {
                    group.addTask { await prober.probe(request) }
                    launched += 1
                }
            }
            return (done, succeeded, failures)
        }
    }

    /// User plus system CPU seconds of this process so far (getrusage).
    private static func processCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
