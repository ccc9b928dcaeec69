import Scheduling
import Testing
import WatchCore

@Suite struct ProbeAdmissionTests {
    /// A scheduler with `count` series of one provider whose first slots all fall before `instant(seconds: 60)`.
    private func scheduler(count: Int, providers: Int = 1, limits: AdmissionLimits) -> ProbeScheduler {
        var scheduler = ProbeScheduler(limits: limits)
        scheduler.apply(schedules(count: count, providers: providers), at: instant())
        return scheduler
    }

    private func checkEverySlotIsAccounted(_ scheduler: ProbeScheduler, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let statistics = scheduler.statistics
        #expect(
            statistics.slotsDue
                == statistics.started + statistics.missedStartTooLate + statistics.missedPreviousStillRunning
                + statistics.withdrawnByReload + scheduler.admission.waiting, sourceLocation: sourceLocation)
    }

    @Test func perProviderInFlightLimitHolds() {
        var scheduler = scheduler(
            count: 50, limits: AdmissionLimits(perProvider: ProviderLimits(maximumInFlight: 5)))
        let actions = scheduler.advance(to: instant(seconds: 60) - .nanoseconds(1))
        let started = actions.compactMap(\.startedProbe)
        #expect(started.count == 5)
        #expect(scheduler.admission.inFlight(provider: "provider-0") == 5)
        #expect(scheduler.admission.waiting == 45)

        // Each finished probe lets exactly one waiting probe start, the oldest slot first.
        let next = scheduler.probeFinished(started[0], succeeded: true, at: instant(seconds: 60))
        #expect(next.compactMap(\.startedProbe).count == 1)
        #expect(scheduler.admission.inFlight(provider: "provider-0") == 5)
        checkEverySlotIsAccounted(scheduler)
    }

    @Test func overallInFlightLimitHoldsAcrossProviders() {
        var scheduler = scheduler(count: 300, providers: 3, limits: AdmissionLimits(maximumInFlight: 20))
        var running: [ScheduledProbe] = []
        for step in 0..<600 {
            let now = instant(milliseconds: Int64(step) * 100)
            running += scheduler.advance(to: now).compactMap(\.startedProbe)
            #expect(scheduler.admission.inFlight <= 20)
            #expect(running.count == scheduler.admission.inFlight)
            // Finish the oldest few each step so the limit keeps binding.
            for probe in running.prefix(3) {
                running += scheduler.probeFinished(probe, succeeded: true, at: now).compactMap(\.startedProbe)
            }
            running.removeFirst(min(3, running.count))
            #expect(scheduler.admission.inFlight <= 20)
        }
        #expect(scheduler.statistics.started > 20)
        checkEverySlotIsAccounted(scheduler)
    }

    @Test func perProviderRateLimitHolds() {
        // 100 series spread over a minute arrive at 1.67 per second; the provider allows 1 per second
        // with a burst of 2, so the limit binds and a backlog builds.
        var scheduler = scheduler(
            count: 100,
            limits: AdmissionLimits(perProvider: ProviderLimits(maximumInFlight: 1_000, probesPerSecond: 1, burst: 2)))
        var starts: [Timestamp] = []
        var now = instant()
        while now < instant(seconds: 60) {
            for probe in scheduler.advance(to: now).compactMap(\.startedProbe) {
                starts.append(now)
                _ = scheduler.probeFinished(probe, succeeded: true, at: now)
            }
            // Wake when the scheduler asks, never later than 250 ms (as the daemon would).
            let wake = scheduler.nextWakeUp(after: now) ?? now.advanced(by: .milliseconds(250))
            now = min(max(wake, now.advanced(by: .nanoseconds(1))), now.advanced(by: .milliseconds(250)))
        }
        // In any window of length w, at most burst + rate·w starts.
        for (first, start) in starts.enumerated() {
            for (last, end) in starts.enumerated().dropFirst(first) {
                let window = start.duration(to: end).seconds
                #expect(Double(last - first + 1) <= 2 + window + 1e-9, "\(last - first + 1) starts in \(window) s")
            }
        }
        #expect(starts.count >= 55 && starts.count <= 62)
        #expect(scheduler.admission.waiting == 100 - starts.count)
        #expect(scheduler.statistics.startedLate > 0)
        #expect(scheduler.statistics.missed == 0)
        checkEverySlotIsAccounted(scheduler)
    }

    @Test func probesThatCannotStartBeforeTheirLatestStartAreMissedAndCounted() {
        // One probe in flight that never finishes: the 9 others wait, then miss.
        var scheduler = scheduler(count: 10, limits: AdmissionLimits(maximumInFlight: 1))
        let first = scheduler.advance(to: instant(seconds: 60) - .nanoseconds(1))
        #expect(first.compactMap(\.startedProbe).count == 1)
        #expect(scheduler.admission.waiting == 9)

        // A full interval later the waiting slots are past their latest start; the next slots are
        // taken in their place (and the running series' new slot is missed: one probe per series).
        let later = scheduler.advance(to: instant(seconds: 120) - .nanoseconds(1))
        let reasons = later.compactMap(\.missReason)
        #expect(reasons.count == 10)
        #expect(reasons.filter { $0 == .previousStillRunning }.count == 1)
        let statistics = scheduler.statistics
        #expect(statistics.missedStartTooLate == 9)
        #expect(statistics.missedPreviousStillRunning == 1)
        #expect(statistics.missed == 10)
        #expect(scheduler.admission.waiting == 9)
        checkEverySlotIsAccounted(scheduler)
    }

    @Test func aMaximumStartDelayShorterThanTheIntervalMissesEarlier() {
        var scheduler = scheduler(
            count: 2, limits: AdmissionLimits(maximumInFlight: 1, maximumStartDelay: .seconds(5)))
        let slots = schedules(count: 2).map { simulationStart.advanced(by: SpreadOffset.of($0.series, interval: .seconds(60))) }
        let started = scheduler.advance(to: slots.min()!).compactMap(\.startedProbe)
        #expect(started.count == 1)
        #expect(scheduler.advance(to: slots.max()!).isEmpty)
        #expect(scheduler.admission.nextWakeUp(after: slots.max()!) == slots.max()!.advanced(by: .seconds(5)))
        let actions = scheduler.probeFinished(
            started[0], succeeded: true, at: slots.max()!.advanced(by: .seconds(5) + .nanoseconds(1)))
        #expect(actions.compactMap(\.missReason) == [.startTooLate])
        #expect(actions.compactMap(\.startedProbe).isEmpty)
        #expect(scheduler.statistics.missedStartTooLate == 1)
        checkEverySlotIsAccounted(scheduler)
    }

    @Test func aFailingIntervalShorterThanTheProbeNeverFiresOnARunningProbe() {
        // Re-probe every second while down, but each failing probe takes 3.5 s (a timeout).
        var scheduler = ProbeScheduler()
        let key = seriesKey("slow-dns")
        scheduler.apply(
            [SeriesSchedule(series: key, provider: "p", interval: .seconds(20), failingInterval: .seconds(1))],
            at: instant())
        var running: [(probe: ScheduledProbe, ends: Timestamp)] = []
        var starts: [Timestamp] = []
        var now = instant()
        while now < instant(seconds: 60) {
            let ended = running.filter { $0.ends <= now }
            running.removeAll { $0.ends <= now }
            for end in ended {
                for action in scheduler.probeFinished(end.probe, succeeded: false, at: end.ends) {
                    if let probe = action.startedProbe {
                        starts.append(end.ends)
                        running.append((probe, end.ends.advanced(by: .milliseconds(3_500))))
                    }
                }
            }
            for probe in scheduler.advance(to: now).compactMap(\.startedProbe) {
                starts.append(now)
                running.append((probe, now.advanced(by: .milliseconds(3_500))))
            }
            now = now.advanced(by: .milliseconds(100))
        }
        // One probe every 4 to 4.6 s (3.5 s running, then the next 1 s slot, seen within 100 ms),
        // never one on top of a running one, and no slot counted missed.
        let offset = SpreadOffset.of(key, interval: .seconds(20))
        #expect(starts.count >= Int((.seconds(60) - offset) / .milliseconds(4_600)))
        for (earlier, later) in zip(starts, starts.dropFirst()) {
            let gap = earlier.duration(to: later)
            #expect(gap >= .milliseconds(3_500) && gap <= .milliseconds(4_600), "gap \(gap)")
        }
        #expect(scheduler.statistics.missed == 0)
    }

    @Test func aReloadWithdrawsWaitingProbesOfRemovedSeriesAndReleasesTheirRunningOnes() {
        let all = schedules(count: 10)
        var scheduler = ProbeScheduler(limits: AdmissionLimits(maximumInFlight: 2))
        scheduler.apply(all, at: instant())
        let running = scheduler.advance(to: instant(seconds: 60) - .nanoseconds(1)).compactMap(\.startedProbe)
        #expect(running.count == 2 && scheduler.admission.waiting == 8)

        // Remove every series; then add 10 new ones, which reuse the removed series' storage.
        scheduler.apply([], at: instant(seconds: 60))
        #expect(scheduler.admission.waiting == 0)
        #expect(scheduler.statistics.withdrawnByReload == 8)
        #expect(scheduler.admission.inFlight == 2)
        scheduler.apply(schedules(count: 10, prefix: "new"), at: instant(seconds: 60))
        let started = scheduler.advance(to: instant(seconds: 120) - .nanoseconds(1)).compactMap(\.startedProbe)
        #expect(started.isEmpty)  // both places still taken by the removed series' running probes
        // Their ends free the places, which the new series take at once.
        var newStarts: [ScheduledProbe] = []
        for probe in running {
            newStarts += scheduler.probeFinished(probe, succeeded: true, at: instant(seconds: 120)).compactMap(\.startedProbe)
        }
        #expect(newStarts.count == 2)
        #expect(scheduler.admission.inFlight == 2)
        #expect(newStarts.allSatisfy { $0.series.target.rawValue.hasPrefix("new-") })
        checkEverySlotIsAccounted(scheduler)
    }

    @Test func latenessIsAccountedPerProbe() {
        var scheduler = scheduler(count: 2, limits: AdmissionLimits(maximumInFlight: 1))
        // Both series' slots.
        let slots = schedules(count: 2).map { simulationStart.advanced(by: SpreadOffset.of($0.series, interval: .seconds(60))) }
        let lastSlot = slots.max()!
        let first = scheduler.advance(to: lastSlot)
        guard case .start(let early, let earlyLateness) = first.first else {
            Issue.record("expected a start, got \(first)")
            return
        }
        #expect(earlyLateness == early.scheduledAt.duration(to: lastSlot))
        let finish = lastSlot.advanced(by: .milliseconds(200))
        let second = scheduler.probeFinished(early, succeeded: true, at: finish)
        guard case .start(let late, let lateness) = second.first else {
            Issue.record("expected a start, got \(second)")
            return
        }
        #expect(late.scheduledAt == lastSlot)
        #expect(lateness == .milliseconds(200))
        let statistics = scheduler.statistics
        #expect(statistics.started == 2)
        #expect(statistics.startedLate >= 1)
        #expect(statistics.maximumLateness >= .milliseconds(200))
        #expect(statistics.totalLatenessNanoseconds == earlyLateness.nanoseconds + 200_000_000)
    }

    @Test func aFailingSeriesIsReprobedFasterThroughTheWholeScheduler() {
        var scheduler = ProbeScheduler()
        let key = seriesKey("vnpt-dns")
        scheduler.apply(
            [SeriesSchedule(series: key, provider: "vnpt", interval: .seconds(60), failingInterval: .seconds(10))],
            at: instant())
        var startsWhileDown = 0
        var now = instant()
        // Down for the first 2 minutes, up afterwards, simulated for 5 minutes in 100 ms steps.
        var starts: [Timestamp] = []
        while now < instant(seconds: 300) {
            for probe in scheduler.advance(to: now).compactMap(\.startedProbe) {
                starts.append(probe.scheduledAt)
                let down = now < instant(seconds: 120)
                if down { startsWhileDown += 1 }
                _ = scheduler.probeFinished(probe, succeeded: !down, at: now.advanced(by: .milliseconds(300)))
            }
            now = now.advanced(by: .milliseconds(100))
        }
        let offset = SpreadOffset.of(key, interval: .seconds(60))
        // First normal probe at the offset fails, then every 10 s until the first probe at or after
        // 120 s succeeds; then back on k·60 s + offset.
        #expect(startsWhileDown >= 6)
        let afterRecovery = starts.filter { $0 > instant(seconds: 130) }
        #expect(!afterRecovery.isEmpty)
        for slot in afterRecovery {
            #expect((slot.nanosecondsSinceEpoch - offset.nanoseconds) % 60_000_000_000 == 0)
        }
        #expect(scheduler.statistics.missed == 0)
    }
}
