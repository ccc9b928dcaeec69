import Logging
import Probing
import Scheduling
import SeriesStore
import ServiceLifecycle
import Synchronization
import UnixSignals
import WatchCore

/// The heart of `ispwatch run`: drives the ``ProbeScheduler`` with real time, starts each probe on
/// the ``ProbeEngine``, hands every result to the store, the observer and the vantage-health
/// monitor, and reloads the configuration on SIGHUP.
///
/// One task owns all the loop's state and handles one event at a time (a tick, a finished probe, a
/// reload, shutdown), so the scheduler needs no lock. Probes run as child tasks of the loop (HTTP
/// probes as handlers on the HTTP prober's thread, without a task) and report back through the
/// event stream; the probers multiplex them on their own event loops, so a probe costs no thread.
/// On graceful shutdown (SIGTERM, SIGINT) no new probe starts, and the loop ends once every probe
/// in flight has finished, which each does by its own timeout.
public final class ProbeLoop: Service, Sendable {
    /// Where the loop's configuration comes from on reload.
    public typealias ConfigurationLoader = @Sendable () throws -> Configuration

    private enum Event: Sendable {
        case tick
        case finished(ScheduledProbe, ProbeResult, SeriesPlan, Target)
        case reload
        case shutdown
    }

    private let initialConfiguration: Configuration
    private let shard: Shard
    private let loadConfiguration: ConfigurationLoader
    private let engine: ProbeEngine
    private let sink: StoreSink
    private let observer: (any ProbeObserver)?
    private let logger: Logger
    private let reloadSignals: Bool
    private let currentStatus = Mutex(ProbeLoopStatus())
    private let pendingEvents = Mutex<AsyncStream<Event>.Continuation?>(nil)
    /// The longest the ticker sleeps: bounds how late a slot that appears while it sleeps can start.
    private static let maximumTick: Duration = .milliseconds(20)
    /// The shortest the ticker sleeps: slots closer together than this start together, in one
    /// batch. Waking for every slot of 100,000 spread series (one every 0.6 ms) costs more CPU in
    /// thread wake-ups than the probes themselves; a batch is at most this late.
    private static let minimumTick: Duration = .milliseconds(5)

    /// Creates a loop.
    ///
    /// - Parameters:
    ///   - configuration: the configuration to start with (already validated).
    ///   - loadConfiguration: reads and validates the configuration again, on SIGHUP or ``reload()``.
    ///   - shard: the share of the targets to probe (`--shard`); the whole list by default.
    ///   - reloadOnSIGHUP: whether to trap SIGHUP (off in tests that run several loops).
    public init(
        configuration: Configuration, loadConfiguration: @escaping ConfigurationLoader, engine: ProbeEngine,
        sink: StoreSink, observer: (any ProbeObserver)? = nil, shard: Shard = .whole, reloadOnSIGHUP: Bool = true,
        logger: Logger
    ) {
        initialConfiguration = configuration
        self.shard = shard
        self.loadConfiguration = loadConfiguration
        self.engine = engine
        self.sink = sink
        self.observer = observer
        self.reloadSignals = reloadOnSIGHUP
        self.logger = logger
    }

    /// The loop's latest figures.
    public var status: ProbeLoopStatus { currentStatus.withLock { $0 } }

    /// Asks the running loop to reload its configuration, as SIGHUP does.
    public func reload() {
        _ = pendingEvents.withLock { $0?.yield(.reload) }
    }

    /// Runs until graceful shutdown or cancellation.
    ///
    /// - Throws: `StoreError` when the series of the initial configuration cannot be registered.
    public func run() async throws {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        pendingEvents.withLock { $0 = continuation }
        defer { pendingEvents.withLock { $0 = nil } }
        var state = try LoopState(configuration: initialConfiguration, shard: shard, sink: sink, now: WallClock.now())
        MemoryRelease.returnFreedMemory()
        observer?.catalogChanged(state.catalog)
        // The first scrape sees the loop's figures, not a second later.
        publish(state)
        let nextWakeUp = WakeUpTime()
        let reloadSignals = self.reloadSignals

        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await Self.tick(into: continuation, nextWakeUp: nextWakeUp) }
                if reloadSignals {
                    group.addTask {
                        for await _ in await UnixSignalsSequence(trapping: .sighup) { continuation.yield(.reload) }
                    }
                }
                for await event in events {
                    handle(event, state: &state, group: &group, continuation: continuation)
                    nextWakeUp.nanoseconds.store(state.nextWakeUp(), ordering: .relaxed)
                    if state.draining && state.scheduler.admission.inFlight == 0 { break }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            continuation.yield(.shutdown)
        }
        continuation.finish()
        publish(state)
        let statistics = state.scheduler.statistics
        logger.notice("probe loop stopped", metadata: [
            "probe.finished": "\(state.probesFinished)", "scheduler.slots_due": "\(statistics.slotsDue)",
            "scheduler.started": "\(statistics.started)", "scheduler.started_late": "\(statistics.startedLate)",
            "scheduler.missed": "\(statistics.missed)",
            "scheduler.lateness_max_ms": "\(statistics.maximumLateness.nanoseconds / 1_000_000)"])
    }

    // MARK: - Events

    private func handle(
        _ event: Event, state: inout LoopState, group: inout DiscardingTaskGroup,
        continuation: AsyncStream<Event>.Continuation
    ) {
        let now = WallClock.now()
        var actions: [ProbeAdmission.Action] = []
        switch event {
        case .tick:
            if !state.draining { actions = state.scheduler.advance(to: now) }
            if now.nanosecondsSinceEpoch - state.lastPublished.nanosecondsSinceEpoch >= 1_000_000_000 {
                evaluateHealth(&state, at: now)
                publish(state)
                state.lastPublished = now
            }
        case .finished(let probe, let result, let plan, let target):
            state.probesFinished += 1
            actions = state.scheduler.probeFinished(probe, succeeded: result.success, at: now)
            sink.submit(StoredResult(result, series: plan.id))
            observer?.observe(result, plan: plan, target: target)
            if plan.role == .control {
                let before = state.health.verdict
                state.health.record(control: plan.key, succeeded: result.success, at: result.startedAt)
                healthEvaluated(&state, before: before, at: now)
            }
        case .reload:
            reload(&state, at: now)
        case .shutdown:
            if !state.draining {
                logger.info("shutting down: no new probes; waiting for those in flight", metadata: [
                    "probe.in_flight": "\(state.scheduler.admission.inFlight)"])
            }
            state.draining = true
            publish(state)
        }
        if state.draining { actions.removeAll { if case .start = $0 { true } else { false } } }
        start(actions, state: &state, group: &group, continuation: continuation)
    }

    private func start(
        _ actions: [ProbeAdmission.Action], state: inout LoopState, group: inout DiscardingTaskGroup,
        continuation: AsyncStream<Event>.Continuation
    ) {
        for action in actions {
            switch action {
            case .start(let probe, _):
                guard let plan = state.catalog.plan(probe.tag), plan.key == probe.series else {
                    // Removed by a reload between its slot and now: free its place at once.
                    let more = state.scheduler.probeFinished(probe, succeeded: true, at: WallClock.now())
                    start(more, state: &state, group: &group, continuation: continuation)
                    continue
                }
                // The target travels with the probe: a reload while it runs may renumber the catalog.
                let target = state.catalog.target(of: plan)
                let request = ProbeRequest(
                    target: target.id, spec: target.spec, ipFamily: plan.key.family, timeout: target.timeout,
                    scheduledAt: probe.scheduledAt)
                // HTTP probes report from the prober's thread, without a child task each: at
                // 10,000 probes/s the task, its continuation and its removal from the group cost
                // more than the probe's own work in libcurl.
                let startedWithoutTask = engine.start(request) { result in
                    continuation.yield(.finished(probe, result, plan, target))
                }
                if !startedWithoutTask {
                    let engine = self.engine
                    group.addTask {
                        let result = await engine.probe(request)
                        continuation.yield(.finished(probe, result, plan, target))
                    }
                }
            case .miss(let probe, let reason):
                logger.debug("slot missed", metadata: [
                    "probe.series": "\(probe.series)", "probe.scheduled_at": "\(probe.scheduledAt)",
                    "scheduler.miss_reason": "\(reason.rawValue)"])
            }
        }
    }

    // MARK: - Health, reload, status

    private func evaluateHealth(_ state: inout LoopState, at now: Timestamp) {
        let before = state.health.verdict
        state.health.evaluate(at: now)
        healthEvaluated(&state, before: before, at: now)
    }

    /// Stores and logs a verdict that changed from `before`.
    private func healthEvaluated(_ state: inout LoopState, before: VantageHealthMonitor.Verdict, at now: Timestamp) {
        let after = state.health.verdict
        guard after != before else { return }
        // An unhealthy spell began after the last control success: the break is somewhere in between.
        let since = after == .unhealthy
            ? (state.health.lastSuccessAt.map { $0.advanced(by: .milliseconds(1)) } ?? now) : now
        state.recordHealth(since: since, sink: sink)
        let level: Logger.Level = after == .unhealthy ? .error : .notice
        logger.log(level: level, "vantage health changed", metadata: [
            "vantage.id": "\(state.catalog.vantage)", "vantage.health": "\(after.rawValue)",
            "vantage.since": "\(since)", "vantage.controls_failing": "\(state.health.failingControls(at: now))"])
    }

    private func reload(_ state: inout LoopState, at now: Timestamp) {
        let configuration: Configuration
        do {
            configuration = try loadConfiguration()
        } catch {
            state.reloadFailures += 1
            state.lastReloadSucceeded = false
            logger.error("reload refused; the running configuration stays", metadata: ["config.error": "\(error)"])
            publish(state)
            return
        }
        do {
            let summary = try state.apply(configuration, store: sink.writer, at: now)
            MemoryRelease.returnFreedMemory()
            state.reloads += 1
            state.lastReloadSucceeded = true
            observer?.catalogChanged(state.catalog)
            logger.notice("configuration reloaded", metadata: [
                "config.series": "\(state.catalog.count)", "config.added": "\(summary.added)",
                "config.removed": "\(summary.removed)", "config.changed": "\(summary.changed)"])
        } catch {
            state.reloadFailures += 1
            state.lastReloadSucceeded = false
            logger.error("reload failed: the store could not register the new series; the running configuration stays",
                         metadata: ["store.error": "\(error)"])
        }
        publish(state)
    }

    private func publish(_ state: LoopState) {
        var status = ProbeLoopStatus()
        status.scheduler = state.scheduler.statistics
        status.inFlight = state.scheduler.admission.inFlight
        status.waiting = state.scheduler.admission.waiting
        var byProvider: [String: Int] = [:]
        for provider in state.providers { byProvider[provider] = state.scheduler.admission.inFlight(provider: provider) }
        status.inFlightByProvider = byProvider
        status.seriesScheduled = state.catalog.count
        status.probesFinished = state.probesFinished
        status.vantageHealth = state.health.verdict
        status.controlsConfigured = state.catalog.controls.count
        status.controlsFailing = state.health.failingControls(at: WallClock.now())
        status.reloads = state.reloads
        status.reloadFailures = state.reloadFailures
        status.lastReloadSucceeded = state.lastReloadSucceeded
        status.configurationLoadedAt = state.loadedAt
        status.draining = state.draining
        currentStatus.withLock { $0 = status }
        observer?.statusUpdated(status)
    }

    /// Wakes the loop at its next slot, and at least every ``maximumTick``.
    private static func tick(into continuation: AsyncStream<Event>.Continuation, nextWakeUp: WakeUpTime) async {
        while !Task.isCancelled {
            let next = nextWakeUp.nanoseconds.load(ordering: .relaxed)
            let now = WallClock.now().nanosecondsSinceEpoch
            let wait = min(max(next &- now, minimumTick.nanoseconds), maximumTick.nanoseconds)
            try? await Task.sleep(for: .nanoseconds(wait))
            continuation.yield(.tick)
        }
    }
}

/// The loop's next wake-up, shared with the ticker task (ns since the epoch; `Int64.max`: none).
private final class WakeUpTime: Sendable {
    let nanoseconds = Atomic<Int64>(Int64.max)
}
