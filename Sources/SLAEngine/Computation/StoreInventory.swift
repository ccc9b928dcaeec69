import SeriesStore
import WatchCore

/// One store a multi-vantage report read: where it is, which vantage wrote it, how many target
/// series it holds and the span of its results. The report lists them so a reader can see which
/// vantages (and which copies of their segments) the figures stand on.
public struct StoreInventory: Sendable, Hashable {
    /// The store's directory, as given.
    public var path: String
    /// The vantages of its target series (one for a store written by one `ispwatch run`).
    public var vantages: [String]
    /// Its target series (controls and vantage health left out).
    public var series: Int
    /// Results stored, sealed and active.
    public var results: Int
    /// The start of its first result, if it holds any.
    public var firstResult: Timestamp?
    /// The start of its last result, if it holds any.
    public var lastResult: Timestamp?

    /// Creates an inventory entry.
    public init(
        path: String, vantages: [String], series: Int, results: Int, firstResult: Timestamp?, lastResult: Timestamp?
    ) {
        self.path = path
        self.vantages = vantages
        self.series = series
        self.results = results
        self.firstResult = firstResult
        self.lastResult = lastResult
    }

    /// Takes stock of `reader`'s store: sealed segments from their block summaries (no block is
    /// decoded), active segments by reading their flushed records. Reads only; never writes to the
    /// store, so copies on read-only mounts work.
    ///
    /// - Throws: `StoreError` when a segment cannot be listed or read.
    public init(reader: StoreReader) throws {
        let targets = reader.series.filter { SeriesRole(labels: $0.value.metadata.labels) == .target }
        let vantageSource = targets.isEmpty ? reader.series : targets
        var first = Int64.max, last = Int64.min, results = 0
        for summary in try reader.blockSummaries().summaries {
            first = min(first, summary.minStartMillis)
            last = max(last, summary.maxStartMillis)
            results += summary.count
        }
        let active = Set(try reader.segments().filter { !$0.isSealed }.map(\.sequence))
        if !active.isEmpty {
            try reader.scan(onCorruption: .skip, segments: active) { result in
                first = min(first, result.startMillis)
                last = max(last, result.startMillis)
                results += 1
            }
        }
        self.init(
            path: reader.directory, vantages: Set(vantageSource.values.map(\.key.vantage)).sorted(),
            series: targets.count, results: results,
            firstResult: results > 0 ? Timestamp(millisecondsSinceEpoch: first) : nil,
            lastResult: results > 0 ? Timestamp(millisecondsSinceEpoch: last) : nil)
    }
}
