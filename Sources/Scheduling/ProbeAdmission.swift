import WatchCore

/// Decides which due probes may start now: bounded in flight overall and per provider, and rate
/// limited per provider. A value-type state machine with no clock of its own: every event carries
/// its time, and the answer is the actions to perform.
///
/// Probes that cannot start on time wait, oldest slot first; their lateness is accounted in
/// ``statistics``. A probe still waiting at its latest start is missed (counted, and the series'
/// next slot is taken). A series has at most one probe waiting or running: a slot that comes while
/// the previous one waits replaces it (the old one is missed), one that comes while it runs is missed.
public struct ProbeAdmission: Sendable {
    /// Something that happened, with its time.
    public enum Event: Sendable {
        /// Slots came due (from ``ProbeTimeline/due(at:)``).
        case slotsDue([ScheduledProbe], at: Timestamp)
        /// A started probe finished (success or not), freeing its place.
        case probeFinished(ScheduledProbe, at: Timestamp)
        /// Time passed: tokens refill and waiting probes may start or expire.
        case tick(Timestamp)
        /// Series left the configuration (``ReloadSummary/removedHandles``): their waiting probes are
        /// withdrawn (counted in ``SchedulerStatistics/withdrawnByReload``); running ones finish normally.
        /// Returns no actions.
        case seriesRemoved([SeriesHandle], at: Timestamp)
    }

    /// What the caller must do.
    public enum Action: Sendable, Hashable {
        /// Start this probe now; `lateness` is `startedAt - scheduledAt`.
        case start(ScheduledProbe, lateness: Duration)
        /// This slot will not be probed; it is counted in ``statistics``.
        case miss(ScheduledProbe, MissReason)
    }

    /// Why a slot was not probed.
    public enum MissReason: String, Sendable, Hashable {
        /// Limits kept it waiting past its latest start.
        case startTooLate = "start_too_late"
        /// The series' previous probe was still running.
        case previousStillRunning = "previous_still_running"
        /// A newer slot of the same series came while it was still waiting.
        case supersededWhileWaiting = "superseded_while_waiting"
    }

    private enum SeriesState: Hashable {
        case idle
        case waiting(scheduledAt: Int64)
        case running
    }

    /// The state of the series stored at one handle index, valid for one incarnation.
    private struct SeriesSlot {
        var incarnation: UInt32
        var state: SeriesState
    }

    private struct ProviderState {
        var limits: ProviderLimits
        var bucket: TokenBucket?
        var inFlight = 0
        var queue = WaitingQueue()
    }

    /// The limits in force.
    public private(set) var limits: AdmissionLimits
    /// What happened so far.
    public private(set) var statistics = SchedulerStatistics()
    /// Probes started and not yet finished.
    public private(set) var inFlight = 0
    /// Probes waiting for a limit.
    public private(set) var waiting = 0

    /// Indexed by ``SeriesHandle/index``: an array, because hashing on every probe costs.
    private var seriesSlots: [SeriesSlot] = []
    private var providerIndices: [String: Int] = [:]
    private var providers: [ProviderState] = []
    private var providerNames: [String] = []
    /// Probes still running for series that were removed, whose slot in `seriesSlots` may be reused.
    private var runningOfRemovedSeries: Set<SeriesHandle> = []

    /// Creates an admission with nothing in flight.
    public init(limits: AdmissionLimits) {
        self.limits = limits
    }

    /// Probes of `provider` in flight.
    public func inFlight(provider: String) -> Int { providerIndices[provider].map { providers[$0].inFlight } ?? 0 }

    /// Applies new limits (a reload); probes in flight stay, token buckets restart full.
    public mutating func updateLimits(_ newLimits: AdmissionLimits) {
        limits = newLimits
        for (provider, name) in providerNames.enumerated() {
            let providerLimits = newLimits.limits(of: name)
            providers[provider].limits = providerLimits
            providers[provider].bucket = providerLimits.probesPerSecond.map {
                TokenBucket(rate: $0, burst: providerLimits.burst)
            }
        }
    }

    /// Handles one event and returns what to do, in order.
    public mutating func handle(_ event: Event) -> [Action] {
        var actions: [Action] = []
        switch event {
        case .slotsDue(let probes, let now):
            for probe in probes { enqueue(probe, now: now, actions: &actions) }
            startWaiting(now: now, actions: &actions)
        case .probeFinished(let probe, let now):
            let wasRunning: Bool
            if state(of: probe.handle) == .running {
                setState(.idle, of: probe.handle)
                wasRunning = true
            } else {
                wasRunning = runningOfRemovedSeries.remove(probe.handle) != nil
            }
            if wasRunning {
                inFlight -= 1
                if let provider = providerIndices[probe.provider] { providers[provider].inFlight -= 1 }
            }
            startWaiting(now: now, actions: &actions)
        case .tick(let now):
            startWaiting(now: now, actions: &actions)
        case .seriesRemoved(let handles, let now):
            for handle in handles {
                switch state(of: handle) {
                case .waiting:
                    // Its queue entry no longer matches and is dropped when it reaches the front.
                    waiting -= 1
                    statistics.withdrawnByReload += 1
                case .running:
                    runningOfRemovedSeries.insert(handle)
                case .idle:
                    break
                }
                setState(.idle, of: handle)
            }
            _ = now  // nothing starts here: withdrawing frees no in-flight place
        }
        return actions
    }

    /// When something may change without an event: a token refills for a provider with probes
    /// waiting, or a waiting probe reaches its latest start. `nil` when nothing waits.
    public func nextWakeUp(after now: Timestamp) -> Timestamp? {
        var earliest: Timestamp?
        for provider in providers {
            guard let head = provider.queue.first else { continue }
            var candidate = latestStart(of: head)
            if let bucket = provider.bucket, provider.inFlight < provider.limits.maximumInFlight {
                candidate = min(candidate, bucket.nextToken(after: now))
            }
            earliest = min(earliest ?? candidate, candidate)
        }
        return earliest
    }

    // MARK: - Internals

    private func latestStart(of probe: ScheduledProbe) -> Timestamp {
        guard let bound = limits.maximumStartDelay else { return probe.latestStart }
        return min(probe.latestStart, probe.scheduledAt.advanced(by: bound))
    }

    private mutating func enqueue(_ probe: ScheduledProbe, now: Timestamp, actions: inout [Action]) {
        statistics.slotsDue += 1
        switch state(of: probe.handle) {
        case .running:
            statistics.missedPreviousStillRunning += 1
            actions.append(.miss(probe, .previousStillRunning))
            return
        case .waiting(let olderSlot):
            // The older slot stays in its queue and is dropped when it reaches the front, because its
            // scheduledAt no longer matches; it is counted here, once, as started too late.
            statistics.missedStartTooLate += 1
            waiting -= 1
            var superseded = probe
            superseded.scheduledAt = Timestamp(nanosecondsSinceEpoch: olderSlot)
            superseded.latestStart = probe.scheduledAt
            actions.append(.miss(superseded, .supersededWhileWaiting))
        case .idle:
            break
        }
        setState(.waiting(scheduledAt: probe.scheduledAt.nanosecondsSinceEpoch), of: probe.handle)
        waiting += 1
        let provider: Int
        if let known = providerIndices[probe.provider] {
            provider = known
        } else {
            let providerLimits = limits.limits(of: probe.provider)
            provider = providers.count
            providers.append(
                ProviderState(
                    limits: providerLimits,
                    bucket: providerLimits.probesPerSecond.map { TokenBucket(rate: $0, burst: providerLimits.burst) }))
            providerNames.append(probe.provider)
            providerIndices[probe.provider] = provider
        }
        providers[provider].queue.append(probe)
    }

    private func state(of handle: SeriesHandle) -> SeriesState {
        let index = Int(handle.index)
        guard index < seriesSlots.count, seriesSlots[index].incarnation == handle.incarnation else { return .idle }
        return seriesSlots[index].state
    }

    private mutating func setState(_ state: SeriesState, of handle: SeriesHandle) {
        let index = Int(handle.index)
        if index >= seriesSlots.count {
            seriesSlots.append(
                contentsOf: repeatElement(SeriesSlot(incarnation: 0, state: .idle), count: index + 1 - seriesSlots.count))
        }
        seriesSlots[index] = SeriesSlot(incarnation: handle.incarnation, state: state)
    }

    /// Starts waiting probes while the limits allow, oldest slot first across providers.
    private mutating func startWaiting(now: Timestamp, actions: inout [Action]) {
        guard waiting > 0 else { return }
        let names = providers.indices.filter { !providers[$0].queue.isEmpty }
        // Every provider first drops what expired, so misses are counted even while all is full.
        for name in names { dropInvalidHeads(of: name, now: now, actions: &actions) }
        if inFlight + waiting <= limits.maximumInFlight {
            // The overall bound cannot bind: each provider starts what its own limits allow.
            for name in names {
                while let probe = startableHead(of: name, now: now) {
                    start(probe, provider: name, now: now, actions: &actions)
                    dropInvalidHeads(of: name, now: now, actions: &actions)
                }
            }
            return
        }
        // The overall bound binds: hand the free places out oldest slot first across providers.
        while inFlight < limits.maximumInFlight {
            var best: (name: Int, probe: ScheduledProbe)?
            for name in names {
                guard let probe = startableHead(of: name, now: now) else { continue }
                if best == nil || probe.scheduledAt < best!.probe.scheduledAt { best = (name, probe) }
            }
            guard let chosen = best else { return }
            start(chosen.probe, provider: chosen.name, now: now, actions: &actions)
            dropInvalidHeads(of: chosen.name, now: now, actions: &actions)
        }
    }

    /// The provider's first waiting probe, if its in-flight limit and its rate allow a start now.
    private func startableHead(of name: Int, now: Timestamp) -> ScheduledProbe? {
        let provider = providers[name]
        guard let head = provider.queue.first,
            provider.inFlight < provider.limits.maximumInFlight,
            provider.bucket?.hasToken(at: now) ?? true
        else { return nil }
        return head
    }

    private mutating func start(_ probe: ScheduledProbe, provider name: Int, now: Timestamp, actions: inout [Action]) {
        _ = providers[name].queue.removeFirst()
        _ = providers[name].bucket?.take(at: now)
        providers[name].inFlight += 1
        inFlight += 1
        waiting -= 1
        setState(.running, of: probe.handle)
        let lateness = max(0, now.nanosecondsSinceEpoch - probe.scheduledAt.nanosecondsSinceEpoch)
        statistics.recordStart(latenessNanoseconds: lateness, onTimeTolerance: limits.onTimeTolerance.nanoseconds)
        actions.append(.start(probe, lateness: .nanoseconds(lateness)))
    }

    /// Removes superseded entries and probes past their latest start from the front of a queue.
    private mutating func dropInvalidHeads(of name: Int, now: Timestamp, actions: inout [Action]) {
        while let head = providers[name].queue.first {
            guard state(of: head.handle) == .waiting(scheduledAt: head.scheduledAt.nanosecondsSinceEpoch) else {
                _ = providers[name].queue.removeFirst()  // superseded, already counted
                continue
            }
            guard latestStart(of: head) < now else { return }
            _ = providers[name].queue.removeFirst()
            setState(.idle, of: head.handle)
            waiting -= 1
            statistics.missedStartTooLate += 1
            actions.append(.miss(head, .startTooLate))
        }
    }
}
