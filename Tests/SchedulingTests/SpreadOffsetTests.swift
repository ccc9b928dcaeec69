import Scheduling
import Testing
import WatchCore

@Suite struct SpreadOffsetTests {
    @Test func tenThousandSeriesSpreadEvenlyOverAMinute() {
        var perSecond = [Int](repeating: 0, count: 60)
        for index in 0..<10_000 {
            let offset = SpreadOffset.of(seriesKey("viettel-dns-\(index)"), interval: .seconds(60))
            #expect(offset >= .zero && offset < .seconds(60))
            perSecond[Int(offset.nanoseconds / 1_000_000_000)] += 1
        }
        let mean = 10_000.0 / 60.0
        #expect(Double(perSecond.max()!) <= 2 * mean, "fullest second holds \(perSecond.max()!)")
        #expect(Double(perSecond.min()!) >= mean / 2, "emptiest second holds \(perSecond.min()!)")
    }

    @Test func familiesAndVantagesOfOneTargetGetDifferentOffsets() {
        let offsets: Set<Duration> = [
            SpreadOffset.of(seriesKey("fpt-portal", family: .v4), interval: .seconds(60)),
            SpreadOffset.of(seriesKey("fpt-portal", family: .v6), interval: .seconds(60)),
            SpreadOffset.of(seriesKey("fpt-portal", vantage: "hcmc-viettel-1"), interval: .seconds(60)),
        ]
        #expect(offsets.count == 3)
    }

    /// Fixed values, computed independently (Python, FNV-1a 64 then SplitMix64's finaliser, offset =
    /// high 64 bits of hash × interval): if they change, every deployed vantage moves its probes.
    @Test(arguments: [
        ("viettel-dns-hn-1", "hanoi-vnpt-1", IPFamily.v4, UInt64(14_046_934_296_612_427_428), Int64(45_689_150_043)),
        ("viettel-dns-hn-1", "hanoi-vnpt-1", IPFamily.v6, UInt64(9_120_793_642_392_161_917), Int64(29_666_352_845)),
        ("fpt-portal", "hcmc-viettel-1", IPFamily.v4, UInt64(11_604_599_442_432_149_057), Int64(37_745_195_778)),
    ])
    func offsetsAreTheSameInEveryProcess(
        target: String, vantage: String, family: IPFamily, hash: UInt64, offsetAtOneMinute: Int64
    ) {
        let key = seriesKey(target, vantage: vantage, family: family)
        #expect(SpreadOffset.hash(of: key) == hash)
        #expect(SpreadOffset.of(key, interval: .seconds(60)) == .nanoseconds(offsetAtOneMinute))
    }

    @Test func offsetOfAZeroIntervalIsZero() {
        #expect(SpreadOffset.of(seriesKey("a"), interval: .zero) == .zero)
    }
}
