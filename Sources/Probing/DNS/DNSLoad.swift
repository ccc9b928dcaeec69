import WatchCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the same DNS probe many times with a fixed number in flight, to measure throughput.
///
/// Bounded in count and in time: it stops launching probes at `maximumProbes` or `timeLimit`,
/// whichever comes first, and waits for the ones in flight.
public enum DNSLoad {
    /// What a load run measured.
    public struct Report: Sendable, CustomStringConvertible {
        public var probes: Int
        public var succeeded: Int
        /// Failed probes by reason.
        public var failures: [FailureReason: Int]
        public var wallTime: Duration
        /// User plus system CPU time of the whole process during the run.
        public var cpuTime: Duration
        /// The median and 99th percentile of the request phase over successful probes.
        public var medianRequest: Duration?
        public var p99Request: Duration?

        /// Probes finished per second of wall time.
        public var probesPerSecond: Double { Double(probes) / wallTime.seconds }
        /// Process CPU time per probe.
        public var cpuPerProbe: Duration { probes == 0 ? .zero : cpuTime / probes }

        public var description: String {
            let rate = Int(probesPerSecond)
            let cpu = Int(cpuPerProbe.nanoseconds / 1000)
            return "\(probes) probes in \(wallTime): \(rate)/s, \(succeeded) ok, failures \(failures), "
                + "CPU \(cpuTime) (\(cpu) µs/probe), request p50 \(medianRequest.map { "\($0)" } ?? "-") "
                + "p99 \(p99Request.map { "\($0)" } ?? "-")"
        }
    }

    /// Runs `request` `maximumProbes` times through `prober`, `concurrency` at a time.
    public static func run(
        prober: DNSProber, request: ProbeRequest, maximumProbes: Int, concurrency: Int,
        timeLimit: Duration = .seconds(60)
    ) async -> Report {
        let clock = ContinuousClock()
        let cpuBefore = processCPUTime()
        let started = clock.now
        var succeeded = 0
        var failures: [FailureReason: Int] = [:]
        var requestTimes: [Duration] = []
        requestTimes.reserveCapacity(min(maximumProbes, 1_000_000))
        var finished = 0
        await withTaskGroup(of: ProbeResult.self) { group in
            var launched = 0
            while launched < min(concurrency, maximumProbes) {
                group.addTask { await prober.probe(request) }
                launched += 1
            }
            while let result = await group.next() {
                finished += 1
                if let failure = result.failure {
                    failures[failure, default: 0] += 1
                } else {
                    succeeded += 1
                    if let request = result.phases.request { requestTimes.append(request) }
                }
                if launched < maximumProbes && clock.now - started < timeLimit {
                    group.addTask { await prober.probe(request) }
                    launched += 1
                }
            }
        }
        let wallTime = clock.now - started
        let cpuTime = processCPUTime() - cpuBefore
        requestTimes.sort()
        return Report(
            probes: finished, succeeded: succeeded, failures: failures, wallTime: wallTime, cpuTime: cpuTime,
            medianRequest: requestTimes.isEmpty ? nil : requestTimes[requestTimes.count / 2],
            p99Request: requestTimes.isEmpty ? nil : requestTimes[requestTimes.count * 99 / 100])
    }

    /// User plus system CPU time of this process (`getrusage(RUSAGE_SELF)`).
    static func processCPUTime() -> Duration {
        var usage = rusage()
        // getrusage cannot fail for RUSAGE_SELF with a valid pointer.
        _ = getrusage(RUSAGE_SELF.rawValue, &usage)
        func duration(_ time: timeval) -> Duration { .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec)) }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }
}
