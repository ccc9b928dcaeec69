import Foundation
import Synchronization
import Probing
import WatchCore

/// Probes one target many times with a bound on probes in flight, and summarises throughput, the
/// prober's own CPU cost and the latency distribution: the measurement behind `--repeat` and the
/// benchmark scripts.
struct LoadRun {
    var request: ProbeRequest
    var count: Int
    var concurrency: Int

    struct Summary: Encodable {
        var probes: Int
        var successes: Int
        var failures: Int
        var failuresByReason: [String: Int]
        var concurrency: Int
        var wallSeconds: Double
        var probesPerSecond: Double
        /// User plus system CPU time of this process per probe, in microseconds.
        var cpuMicrosecondsPerProbe: Double
        var latencySeconds: [String: Double]

        func text(label: String) -> String {
            var lines = [
                "\(label): \(probes) probes, \(concurrency) in flight, \(rounded(wallSeconds, places: 2)) s",
                "  \(Int(probesPerSecond.rounded())) probes/s, \(rounded(cpuMicrosecondsPerProbe, places: 1)) CPU-µs per probe",
                "  success \(successes), failed \(failures)",
            ]
            for (reason, n) in failuresByReason.sorted(by: { $0.value > $1.value }) {
                lines.append("    \(reason): \(n)")
            }
            let order = ["p50", "p90", "p99", "max"]
            lines.append("  latency " + order.compactMap { key in
                latencySeconds[key].map { "\(key) \(format(.nanoseconds(Int64($0 * 1e9))))" }
            }.joined(separator: ", "))
            return lines.joined(separator: "\n")
        }

        func json() throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        }
    }

    /// Runs the probes with `concurrency` in flight, as `ispwatch run` runs them: HTTP probes
    /// without a task (each result starts the next probe), other kinds from `concurrency` worker
    /// tasks that each probe, record and repeat, so that the measurement costs as little as the
    /// prober it measures.
    func run(on engine: ProbeEngine) async -> Summary {
        let claims = ProbeClaims(limit: count)
        let slots = max(1, min(concurrency, count))
        let cpuBefore = ProcessCPU.now()
        let clock = ContinuousClock()
        let started = clock.now
        let tally: Tally
        if engine.startsWithoutTask(request.spec.kind) {
            tally = await TasklessChain(engine: engine, request: request, claims: claims).run(slots: slots)
        } else {
            tally = await withTaskGroup(of: Tally.self) { group in
                for _ in 0..<slots {
                    group.addTask { [request] in
                        var tally = Tally()
                        while claims.claim() {
                            tally.add(await engine.probe(request))
                        }
                        return tally
                    }
                }
                var total = Tally()
                for await tally in group { total.merge(tally) }
                return total
            }
        }
        let wall = (clock.now - started).seconds
        let cpu = ProcessCPU.now() - cpuBefore
        let durations = tally.durations.sorted()
        func quantile(_ q: Double) -> Double? {
            guard !durations.isEmpty else { return nil }
            let index = min(durations.count - 1, Int((q * Double(durations.count)).rounded(.up)) - 1)
            return Double(durations[max(0, index)]) / 1e9
        }
        var latency: [String: Double] = [:]
        for (key, q) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0)] {
            latency[key] = quantile(q)
        }
        let failures = tally.failuresByReason.values.reduce(0, +)
        return Summary(
            probes: count, successes: count - failures, failures: failures,
            failuresByReason: tally.failuresByReason, concurrency: concurrency, wallSeconds: wall,
            probesPerSecond: Double(count) / max(wall, 1e-9), cpuMicrosecondsPerProbe: cpu * 1e6 / Double(count),
            latencySeconds: latency)
    }

    /// What one worker saw.
    fileprivate struct Tally: Sendable {
        var durations: [Int64] = []
        var failuresByReason: [String: Int] = [:]

        mutating func add(_ result: ProbeResult) {
            if let failure = result.failure {
                failuresByReason[failure.rawValue, default: 0] += 1
            } else {
                durations.append(result.duration.nanoseconds)
            }
        }

        mutating func merge(_ other: Tally) {
            durations += other.durations
            failuresByReason.merge(other.failuresByReason, uniquingKeysWith: +)
        }
    }
}

/// Hands out the right to run one more probe, `limit` times in all, to any number of workers.
private final class ProbeClaims: Sendable {
    private let claimed = Atomic<Int>(0)
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func claim() -> Bool { claimed.wrappingAdd(1, ordering: .relaxed).oldValue < limit }
}

/// Keeps `slots` probes in flight through ``ProbeEngine/start(_:onResult:)``: each result, on the
/// prober's thread, is recorded and starts the next probe.
private final class TasklessChain: Sendable {
    private struct State {
        var tally = LoadRun.Tally()
        var slotsRunning = 0
        var done: CheckedContinuation<LoadRun.Tally, Never>?
    }

    private let engine: ProbeEngine
    private let request: ProbeRequest
    private let claims: ProbeClaims
    private let state = Mutex(State())

    init(engine: ProbeEngine, request: ProbeRequest, claims: ProbeClaims) {
        self.engine = engine
        self.request = request
        self.claims = claims
    }

    func run(slots: Int) async -> LoadRun.Tally {
        await withCheckedContinuation { continuation in
            state.withLock {
                $0.done = continuation
                $0.slotsRunning = slots
            }
            for _ in 0..<slots { startNext() }
        }
    }

    /// Starts the slot's next probe, or ends the slot when every probe is claimed. A probe that
    /// ends before `start` returns (it could not run) is followed here, in this loop, rather than
    /// from its handler, so that a run of such probes cannot grow the stack.
    private func startNext() {
        while claims.claim() {
            let handoff = Handoff()
            _ = engine.start(request) { [self] result in
                state.withLock { $0.tally.add(result) }
                if handoff.finishedAsynchronously() { startNext() }
            }
            if handoff.startReturnedAfterTheResult() { continue }
            return
        }
        let done = state.withLock { state -> CheckedContinuation<LoadRun.Tally, Never>? in
            state.slotsRunning -= 1
            guard state.slotsRunning == 0 else { return nil }
            defer { state.done = nil }
            return state.done
        }
        done?.resume(returning: state.withLock { $0.tally })
    }

    /// Which came first for one probe: `start` returning, or its result.
    private final class Handoff: Sendable {
        private let first = Atomic<Int>(0)  // 0 neither, 1 start returned, 2 result arrived

        /// Called by the handler: true when `start` had already returned, so the handler goes on.
        func finishedAsynchronously() -> Bool { !first.compareExchange(expected: 0, desired: 2, ordering: .acquiringAndReleasing).exchanged }

        /// Called after `start`: true when the result had already arrived, so the caller goes on.
        func startReturnedAfterTheResult() -> Bool { !first.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged }
    }
}

/// This process's CPU time (user + system), from getrusage.
enum ProcessCPU {
    static func now() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
