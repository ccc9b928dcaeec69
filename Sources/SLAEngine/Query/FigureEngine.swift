import Dispatch
import SeriesStore
import Synchronization
import WatchCore

/// Answers ``FigureQuery``s over one or more stores (the same series key in several stores is one
/// series): a parallel scan into segment digests (``StoreScanner``), then a parallel evaluation
/// series by series, then grouping.
public struct FigureEngine: Sendable {
    /// The stores.
    public let readers: [StoreReader]
    /// Whether sealed segments are answered from rollup files.
    public var rollups: RollupPolicy
    /// Worker threads.
    public var threads: Int
    /// The clock stamping rollup files built on the way.
    public var nowMillis: @Sendable () -> Int64

    /// Creates an engine over opened stores.
    public init(readers: [StoreReader], rollups: RollupPolicy = .ignore, threads: Int = 2,
                nowMillis: @escaping @Sendable () -> Int64 = { 0 }) {
        self.readers = readers
        self.rollups = rollups
        self.threads = max(1, threads)
        self.nowMillis = nowMillis
    }

    /// Runs `query`.
    ///
    /// - Throws: `StoreError` when a store cannot be listed or read (damage inside files is
    ///   reported in ``FigureAnswer/scan``, not thrown).
    public func answer(_ query: FigureQuery) throws -> FigureAnswer {
        let grid = query.grid
        let (bucketKeys, sliceBucket) = Self.buckets(query, grid)
        let (selected, parts, report) = try collect(query, roles: [.target])

        // Evaluation: series in chunks across the workers.
        let digestParts = parts
        let next = Atomic<Int>(0)
        let chunk = 16
        let evaluated = Mutex<(rows: [[FigureRow]], incidents: [[IncidentSpan]], failure: String?)>(
            (Array(repeating: [], count: selected.count), Array(repeating: [], count: selected.count), nil))
        let workers = min(threads, max(1, (selected.count + chunk - 1) / chunk))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var evaluator = SeriesEvaluator(query: query, bucketKeys: bucketKeys, sliceBucket: sliceBucket)
            while true {
                let first = next.wrappingAdd(chunk, ordering: .relaxed).oldValue
                guard first < selected.count else { return }
                var results: [(slot: Int, rows: [FigureRow], incidents: [IncidentSpan])] = []
                for slot in first..<min(first + chunk, selected.count) {
                    do {
                        let (rows, incidents) = try evaluator.evaluate(digestParts[slot])
                        results.append((slot, rows, incidents))
                    } catch {
                        evaluated.withLock { $0.failure = $0.failure ?? "\(selected[slot].key): \(error)" }
                    }
                }
                evaluated.withLock { state in
                    for result in results {
                        state.rows[result.slot] = result.rows
                        state.incidents[result.slot] = result.incidents
                    }
                }
            }
        }
        let (seriesRows, seriesIncidents, failure) = evaluated.withLock { $0 }
        if let failure { throw StoreError.corrupt("a digest could not be read: \(failure)", path: nil) }

        return FigureAnswer(rows: Self.group(query, selected, seriesRows),
                            incidents: Self.incidents(selected, seriesIncidents, grid), scan: report)
    }

    /// Per series (control and vantage-health series too when `roles` says so), the probes and
    /// failures of every slice of the query's grid and the latency sketch of its successful probes
    /// per bucket of the query: the input of the accounting rules (quorum, maintenance, SLOs),
    /// read the same fast way as ``answer(_:)``.
    ///
    /// - Returns: the series in key order, and what the scan read.
    public func seriesSlices(_ query: FigureQuery, roles: Set<SeriesRole> = [.target]) throws
        -> (series: [ScannedSeries], scan: StoreScanReport)
    {
        let (bucketKeys, sliceBucket) = Self.buckets(query, query.grid)
        let (selected, parts, report) = try collect(query, roles: roles)
        let next = Atomic<Int>(0)
        let collected = Mutex<(slices: [ScannedSeries?], failure: String?)>((Array(repeating: nil, count: selected.count), nil))
        DispatchQueue.concurrentPerform(iterations: min(threads, max(1, selected.count))) { _ in
            var evaluator = SeriesEvaluator(query: query, bucketKeys: bucketKeys, sliceBucket: sliceBucket)
            while true {
                let slot = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard slot < selected.count else { return }
                do {
                    let (counts, sketches) = try evaluator.slices(parts[slot])
                    let series = selected[slot]
                    let starts = bucketKeys.map { query.bucketing.startMillis(ofKey: $0, fromMillis: query.fromMillis) }
                    let result = ScannedSeries(key: series.key, metadata: series.metadata, counts: counts,
                                              bucketStartMillis: starts, latency: sketches)
                    collected.withLock { $0.slices[slot] = result }
                } catch {
                    collected.withLock { $0.failure = $0.failure ?? "\(selected[slot].key): \(error)" }
                }
            }
        }
        let (slices, failure) = collected.withLock { $0 }
        if let failure { throw StoreError.corrupt("a digest could not be read: \(failure)", path: nil) }
        return (slices.compactMap { $0 }, report)
    }

    /// The selected series and the digest sections of each, from every store.
    private func collect(_ query: FigureQuery, roles: Set<SeriesRole>) throws
        -> (selected: [QuerySeries], parts: [[(digest: SegmentDigest, sections: SegmentDigest.SeriesSections)]],
            report: StoreScanReport)
    {
        let selected = QuerySeries.select(readers, query, roles: roles)
        var report = StoreScanReport()
        var parts = [[(digest: SegmentDigest, sections: SegmentDigest.SeriesSections)]](repeating: [], count: selected.count)
        for (store, reader) in readers.enumerated() {
            var slotOfID: [SeriesID: Int] = [:]
            for (slot, series) in selected.enumerated() {
                for id in series.ids where id.store == store { slotOfID[id.id] = slot }
            }
            guard !slotOfID.isEmpty else { continue }
            let allSeries = slotOfID.count == reader.series.count
            let scanner = StoreScanner(reader: reader, rollups: rollups, threads: threads, nowMillis: nowMillis)
            let (digests, storeReport) = try scanner.digests(
                layout: query.digestLayout, series: allSeries ? nil : Set(slotOfID.keys),
                rollupSections: query.rollupSections, rollupCompatible: { query.rollupAnswers($0) })
            report.absorb(storeReport)
            for digest in digests {
                for (id, sections) in digest.series {
                    if let slot = slotOfID[id] { parts[slot].append((digest, sections)) }
                }
            }
        }
        return (selected, parts, report)
    }

    /// The query's bucket keys in time order and, per slice of the grid, the position of its bucket.
    static func buckets(_ query: FigureQuery, _ grid: SliceGrid) -> ([Int64], [Int32]) {
        var keys: [Int64] = []
        var sliceBucket = [Int32](repeating: 0, count: grid.count)
        for slice in 0..<grid.count {
            let key = query.bucketing.key(of: grid.startMillis(ofSlice: slice))
            if keys.last != key { keys.append(key) }
            sliceBucket[slice] = Int32(keys.count - 1)
        }
        return (keys, sliceBucket)
    }

    private static func group(_ query: FigureQuery, _ selected: [QuerySeries], _ seriesRows: [[FigureRow]]) -> [FigureRow] {
        var groups: [String: [FigureRow]] = [:]
        for (slot, rows) in seriesRows.enumerated() where !rows.isEmpty {
            let name = selected[slot].groupName(query.grouping)
            if var existing = groups[name] {
                for index in rows.indices { existing[index].add(rows[index]) }
                groups[name] = existing
            } else {
                groups[name] = rows.map { var row = $0; row.group = name; return row }
            }
        }
        var output: [FigureRow] = []
        for name in groups.keys.sorted() {
            let rows = groups[name]!
            output += rows
            if query.includesTotals, query.bucketing != .none {
                var total = FigureRow(group: name, bucketStartMillis: nil)
                for row in rows { total.add(row) }
                output.append(total)
            }
        }
        return output
    }

    private static func incidents(_ selected: [QuerySeries], _ spans: [[IncidentSpan]], _ grid: SliceGrid) -> [IncidentRecord] {
        var records: [IncidentRecord] = []
        for (slot, seriesSpans) in spans.enumerated() {
            let key = selected[slot].key
            for span in seriesSpans {
                records.append(IncidentRecord(target: key.target.rawValue, vantage: key.vantage, family: key.family,
                                              startMillis: grid.startMillis(ofSlice: span.firstSlice),
                                              endMillis: span.endSlice.map { grid.startMillis(ofSlice: $0) }))
            }
        }
        return records
    }
}
