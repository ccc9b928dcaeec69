import Synchronization
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
    ///
    /// `concurrency` worker tasks each run probes one after another, so the run measures the
    /// prober rather than the cost of creating a task per probe.
    public static func run(
        prober: DNSProber, request: ProbeRequest, maximumProbes: Int, concurrency: Int,
        timeLimit: Duration = .seconds(60)
    ) async -> Report {
        let clock = ContinuousClock()
        let cpuBefore = processCPUTime()
        let started = clock.now
        let stopAt = started + timeLimit
        let claimed = ClaimCounter()
        let tally = await withTaskGroup(of: Tally.self) { group in
            for _ in 0..<max(1, min(concurrency, maximumProbes)) {
                group.addTask {
                    var tally = Tally()
                    while claimed.claim() < maximumProbes && clock.now < stopAt {
                        tally.add(await prober.probe(request))
                    }
                    return tally
                }
            }
            var total = Tally()
            for await tally in group { total.merge(tally) }
            return total
        }
        let wallTime = clock.now - started
        let cpuTime = processCPUTime() - cpuBefore
        let requestTimes = tally.requestTimes.sorted()
        return Report(
            probes: tally.probes, succeeded: tally.succeeded, failures: tally.failures, wallTime: wallTime,
            cpuTime: cpuTime,
            medianRequest: requestTimes.isEmpty ? nil : requestTimes[requestTimes.count / 2],
            p99Request: requestTimes.isEmpty ? nil : requestTimes[requestTimes.count * 99 / 100])
    }

    /// Hands out probe numbers to the workers.
    private final class ClaimCounter: Sendable {
        private let next = Atomic<Int>(0)
        func claim() -> Int { next.wrappingAdd(1, ordering: .relaxed).oldValue }
    }

    /// What one worker counted.
    private struct Tally: Sendable {
        var probes = 0
        var succeeded = 0
        var failures: [FailureReason: Int] = [:]
        var requestTimes: [Duration] = []

        mutating func add(_ result: ProbeResult) {
            probes += 1
            if let failure = result.failure {
                failures[failure, default: 0] += 1
            } else {
                succeeded += 1
                if let request = result.phases.request { requestTimes.append(request) }
            }
        }

        mutating func merge(_ other: Tally) {
            probes += other.probes
            succeeded += other.succeeded
            failures.merge(other.failures, uniquingKeysWith: +)
            requestTimes += other.requestTimes
        }
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
