import Scheduling
import Testing
import WatchCore

@Suite struct ProbeTimelineTests {
    @Test func slotsAreEpochAlignedAtTheSeriesOffset() {
        var timeline = ProbeTimeline()
        let key = seriesKey("viettel-dns-hn-1")
        timeline.upsert(SeriesSchedule(series: key, provider: "viettel", interval: .seconds(60)), at: instant())
        let offset = SpreadOffset.of(key, interval: .seconds(60))
        #expect(timeline.nextWakeUp() == simulationStart.advanced(by: offset))

        #expect(timeline.due(at: simulationStart.advanced(by: offset - .nanoseconds(1))).isEmpty)
        let first = timeline.due(at: simulationStart.advanced(by: offset))
        #expect(first.map(\.scheduledAt) == [simulationStart.advanced(by: offset)])
        #expect(first.first?.latestStart == simulationStart.advanced(by: offset + .seconds(60)))
        #expect(timeline.nextDue(of: key) == simulationStart.advanced(by: offset + .seconds(60)))
        // Every slot is k·60 s + offset on the epoch, whenever the series was added.
        #expect((first[0].scheduledAt.nanosecondsSinceEpoch - offset.nanoseconds) % 60_000_000_000 == 0)
    }

    @Test func aStalledCallerGetsOneProbePerSeriesAndTheSkippedSlotsAreCounted() {
        var timeline = ProbeTimeline()
        let key = seriesKey("fpt-portal")
        timeline.upsert(SeriesSchedule(series: key, provider: "fpt", interval: .seconds(10)), at: instant())
        let offset = SpreadOffset.of(key, interval: .seconds(10))
        let probes = timeline.due(at: instant(seconds: 45))
        #expect(probes.count == 1)
        // Slots at offset, +10, +20, +30 (and +40 when offset < 5 s) passed; the latest one is probed.
        let latest = simulationStart.advanced(by: offset + .seconds(offset < .seconds(5) ? 40 : 30))
        #expect(probes.first?.scheduledAt == latest)
        #expect(timeline.skippedSlots == (offset < .seconds(5) ? 4 : 3))
    }

    @Test func aFailingSeriesIsReprobedFasterAndReturnsToItsSpreadSlotOnRecovery() {
        var timeline = ProbeTimeline()
        let key = seriesKey("vnpt-portal")
        timeline.upsert(
            SeriesSchedule(series: key, provider: "vnpt", interval: .seconds(60), failingInterval: .seconds(15)),
            at: instant())
        let offset = SpreadOffset.of(key, interval: .seconds(60))
        let failingOffset = Duration.nanoseconds(offset.nanoseconds % 15_000_000_000)

        let normal = timeline.due(at: simulationStart.advanced(by: offset))[0]
        #expect(!normal.isFailingReprobe)
        timeline.recordOutcome(of: normal.handle, succeeded: false, at: normal.scheduledAt.advanced(by: .seconds(2)))
        #expect(timeline.isFailing(key))
        // The first 15 s-aligned slot after the failure ended.
        let firstRetry = normal.scheduledAt.advanced(by: .seconds(15))
        #expect(timeline.nextDue(of: key) == firstRetry)
        #expect((firstRetry.nanosecondsSinceEpoch - failingOffset.nanoseconds) % 15_000_000_000 == 0)

        let retry = timeline.due(at: firstRetry)
        #expect(retry.count == 1 && retry[0].isFailingReprobe)
        #expect(retry[0].latestStart == firstRetry.advanced(by: .seconds(15)))
        timeline.recordOutcome(of: retry[0].handle, succeeded: false, at: firstRetry.advanced(by: .seconds(5)))
        let secondRetry = timeline.due(at: firstRetry.advanced(by: .seconds(15)))
        #expect(secondRetry.map(\.scheduledAt) == [firstRetry.advanced(by: .seconds(15))])

        // The first success sends it back to its normal spread slot, the next k·60 s + offset.
        timeline.recordOutcome(of: secondRetry[0].handle, succeeded: true, at: secondRetry[0].scheduledAt)
        #expect(!timeline.isFailing(key))
        #expect(timeline.nextDue(of: key) == normal.scheduledAt.advanced(by: .seconds(60)))
        #expect(timeline.due(at: normal.scheduledAt.advanced(by: .seconds(60) - .nanoseconds(1))).isEmpty)
        #expect(timeline.due(at: normal.scheduledAt.advanced(by: .seconds(60))).count == 1)
    }

    @Test func aFailureThatEndsLateMovesTheRetryPastItsEnd() {
        var timeline = ProbeTimeline()
        let key = seriesKey("slow-portal")
        timeline.upsert(
            SeriesSchedule(series: key, provider: "p", interval: .seconds(60), failingInterval: .seconds(10)),
            at: instant())
        let probe = timeline.due(at: instant(seconds: 60))[0]
        let finished = probe.scheduledAt.advanced(by: .seconds(12))
        timeline.recordOutcome(of: probe.handle, succeeded: false, at: finished)
        let next = timeline.nextDue(of: key)!
        #expect(next > finished && next <= finished.advanced(by: .seconds(10)))
    }

    @Test func failingIntervalIsNeverBelowOneSecondNorAboveTheInterval() {
        let tiny = SeriesSchedule(series: seriesKey("a"), provider: "p", interval: .seconds(2), failingInterval: .milliseconds(10))
        #expect(tiny.failingInterval == .seconds(1))
        let huge = SeriesSchedule(series: seriesKey("a"), provider: "p", interval: .seconds(30), failingInterval: .seconds(90))
        #expect(huge.failingInterval == .seconds(30))
        let defaulted = SeriesSchedule(series: seriesKey("a"), provider: "p", interval: .seconds(60))
        #expect(defaulted.failingInterval == .seconds(15))
    }

    @Test func offsetsAndPendingSlotsSurviveAReloadThatAddsAndRemovesSeries() {
        var timeline = ProbeTimeline()
        let before = schedules(count: 1_000, providers: 7)
        #expect(timeline.replaceAll(with: before, at: instant()).added == 1_000)
        _ = timeline.due(at: instant(seconds: 30))
        let pending = Dictionary(uniqueKeysWithValues: before.map { ($0.series, timeline.nextDue(of: $0.series)!) })

        // Drop the first 300, add 500 new ones, keep 700.
        let after = Array(before.dropFirst(300)) + schedules(count: 500, prefix: "added")
        let summary = timeline.replaceAll(with: after, at: instant(seconds: 30))
        #expect((summary.added, summary.removed, summary.changed, summary.unchanged) == (500, 300, 0, 700))
        #expect(summary.removedHandles.count == 300)
        #expect(timeline.count == 1_200)
        for schedule in before.dropFirst(300) {
            #expect(timeline.nextDue(of: schedule.series) == pending[schedule.series])
        }
        for schedule in before.prefix(300) { #expect(timeline.nextDue(of: schedule.series) == nil) }

        // Over the next full minute every kept and added series is due exactly once, removed ones never.
        let probes = timeline.due(at: instant(seconds: 90) - .nanoseconds(1))
        #expect(probes.count == 1_200)
        #expect(Set(probes.map(\.series)) == Set(after.map(\.series)))
        for probe in probes where pending[probe.series] != nil { #expect(probe.scheduledAt == pending[probe.series]) }
    }

    @Test func aChangedIntervalMovesTheSeriesToItsNewSlotsWithoutRepeatingOne() {
        var timeline = ProbeTimeline()
        let key = seriesKey("mobifone-dns")
        timeline.upsert(SeriesSchedule(series: key, provider: "m", interval: .seconds(60)), at: instant())
        let first = timeline.due(at: instant(seconds: 60) - .nanoseconds(1))
        #expect(first.count == 1)
        timeline.upsert(SeriesSchedule(series: key, provider: "m", interval: .seconds(20)), at: instant(seconds: 60))
        let offset20 = SpreadOffset.of(key, interval: .seconds(20))
        let next = timeline.nextDue(of: key)!
        #expect(next > first[0].scheduledAt && next >= instant(seconds: 60))
        #expect((next.nanosecondsSinceEpoch - offset20.nanoseconds) % 20_000_000_000 == 0)
    }

    @Test func outcomesOfARemovedSeriesAreIgnoredEvenWhenItsStorageIsReused() {
        var timeline = ProbeTimeline()
        let old = seriesKey("old")
        timeline.upsert(SeriesSchedule(series: old, provider: "p", interval: .seconds(60)), at: instant())
        let probe = timeline.due(at: instant(seconds: 60) - .nanoseconds(1))[0]
        timeline.remove(old)
        let new = seriesKey("new")
        timeline.upsert(SeriesSchedule(series: new, provider: "p", interval: .seconds(60)), at: instant(seconds: 60))
        timeline.recordOutcome(of: probe.handle, succeeded: false, at: instant(seconds: 61))
        #expect(!timeline.isFailing(new))
        #expect(timeline.due(at: instant(seconds: 120) - .nanoseconds(1)).map(\.series) == [new])
    }
}

extension Timestamp {
    static func - (lhs: Timestamp, rhs: Duration) -> Timestamp { lhs.advanced(by: .zero - rhs) }
}

@Suite struct SeriesScheduleTests {
    @Test func aDualStackTargetBecomesTwoSchedulesOfItsProvider() {
        let target = Target(
            id: "viettel-dns-hn-1", provider: "viettel", interval: .seconds(30), ipFamilies: .both,
            spec: .dns(DNSProbeSpec(server: "127.0.0.1", queryName: "example.vn")))
        let configuration = Configuration(vantage: nil, providers: [Provider(id: "viettel")], targets: [target])
        let schedules = configuration.seriesSchedules(failingInterval: .seconds(5))
        #expect(schedules.map(\.series.family) == [.v4, .v6])
        #expect(schedules.allSatisfy { $0.provider == "viettel" && $0.interval == .seconds(30) })
        #expect(schedules.allSatisfy { $0.failingInterval == .seconds(5) })
        #expect(schedules.map(\.series) == configuration.series)
    }
}
