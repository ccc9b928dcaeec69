import WatchCore

/// Where in its interval a series is probed: a stable offset in `[0, interval)` derived from a hash of
/// the series' identity, so that many series with the same interval spread evenly over it instead of
/// all firing at once (as Prometheus spreads scrapes).
///
/// The hash is 64-bit FNV-1a over the key's text form `target/vantage/family`, followed by a
/// SplitMix64 finaliser (FNV-1a alone clusters on ids that differ only in their last characters).
/// It depends on nothing but the key, never on Swift's per-process seeded `Hasher` and never on the
/// other series, so an offset is the same in every process, after every restart and every reload.
public enum SpreadOffset {
    /// The offset of `series` within `interval`, in `[0, interval)`; zero when `interval` is not positive.
    public static func of(_ series: SeriesKey, interval: Duration) -> Duration {
        .nanoseconds(nanoseconds(of: series, intervalNanoseconds: interval.nanoseconds))
    }

    /// The 64-bit identity hash of `series`, stable across processes and platforms.
    public static func hash(of series: SeriesKey) -> UInt64 {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 {
                state ^= UInt64(byte)
                state &*= 0x0000_0100_0000_01b3
            }
        }
        mix(series.target.rawValue)
        mix("/")
        mix(series.vantage)
        mix("/")
        mix(series.family.rawValue)
        return finalised(state)
    }

    /// The offset in nanoseconds, for callers that already work in nanoseconds.
    static func nanoseconds(of series: SeriesKey, intervalNanoseconds: Int64) -> Int64 {
        guard intervalNanoseconds > 0 else { return 0 }
        // Multiply-high maps the hash onto [0, interval) without the bias of `%`.
        let scaled = hash(of: series).multipliedFullWidth(by: UInt64(intervalNanoseconds)).high
        return Int64(scaled)
    }

    /// SplitMix64's finaliser: every input bit affects every output bit.
    private static func finalised(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
