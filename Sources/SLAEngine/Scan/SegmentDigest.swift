import SeriesStore
import WatchCore

/// What one segment holds for each of its series, compacted: per slice the probes and failures,
/// and per latency bucket a histogram of successful probes' latencies. Built from raw results by
/// ``DigestBuilder`` or read from a rollup file; queries read only digests.
///
/// Per series, three byte runs. Counts: `varint` run count, then per run of consecutive slices with
/// the same counts: `zvarint` first slice minus the end of the previous run (absolute for the
/// first), `varint` length, `varint` probes, `varint` failures (slices without probes are not
/// written). Histograms: `varint` histogram count, then per histogram `zvarint` bucket minus the
/// previous histogram's bucket (absolute for the first), `varint` byte length and a
/// ``LatencyHistogram`` encoding; one bucket may appear more than once (results out of order),
/// its histograms add up. Day histograms (rollups only, else empty): the same, per UTC day, each
/// the merge of the day's hour histograms, so that long ranges merge 24 times fewer.
public struct SegmentDigest: Sendable {
    /// Where one series' runs are in ``bytes``.
    public struct SeriesSections: Sendable, Hashable {
        /// The counts section.
        public var counts: Range<Int>
        /// The histograms section (per bucket of the digest's layout).
        public var histograms: Range<Int>
        /// The day histograms section (per UTC day; rollups only, else empty).
        public var days: Range<Int>
    }

    /// The segment's sequence number.
    public var sequence: UInt64
    /// How time is cut.
    public var layout: DigestLayout
    /// Every series' sections, back to back.
    public var bytes: [UInt8] = []
    /// The sections of each series present.
    public var series: [SeriesID: SeriesSections] = [:]
    /// Results digested.
    public var results = 0
    /// The earliest and latest start time digested (`nil` when empty).
    public var startRange: ClosedRange<Int64>?

    /// Creates an empty digest.
    public init(sequence: UInt64, layout: DigestLayout) {
        self.sequence = sequence
        self.layout = layout
    }
}
