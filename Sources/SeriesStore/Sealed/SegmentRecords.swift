/// The result records of a closed active segment, grouped by series, without decoding them all at
/// once: what sealing reads.
///
/// Sealing writes each series' results together, so the segment's records (in append order, series
/// interleaved) must be regrouped. Decoding the whole segment into results first and then into one
/// array per series held two copies of every result and 100,000 small arrays whose freed pages the
/// allocator kept (a 64 MiB segment of 100,000 series: +615 MB at the peak, +325 MB kept;
/// `store-bench seal`). Here one walk notes where each valid record starts and whose it is; a
/// counting sort by series id (ids are dense) orders those offsets; the sealer then decodes one
/// block's worth of results at a time. Besides the segment's bytes, the working memory is about 20
/// bytes per record, in a few large arrays that go back to the system when sealing ends.
struct SegmentRecords {
    /// Each series with records, ascending, with its range in ``frameOffsets``.
    private(set) var runs: [(series: SeriesID, range: Range<Int>)] = []
    /// Where each valid result record's frame starts in the segment, grouped by series in the order
    /// of ``runs``, in append order within a series.
    private(set) var frameOffsets: [Int] = []
    /// Where the last valid frame ends: bytes after it are damage (a torn write) and are dropped.
    private(set) var validEnd = 0
    /// When the segment was created, from its header; `nil` when the header is unreadable.
    private(set) var createdMillis: Int64?

    /// How many results the segment holds.
    var count: Int { frameOffsets.count }

    /// Indexes the segment `bytes` (header and frames). Records that do not decode, and frames of
    /// kinds other than results, are skipped.
    init(segment bytes: UnsafeRawBufferPointer) {
        guard let header = try? FileHeader.decode(bytes, expecting: .activeSegment) else { return }
        createdMillis = header.createdMillis
        var seriesOfRecord: [SeriesID] = []
        var offsets: [Int] = []
        // A result frame takes 20 bytes at the least and about 32 in a running store.
        seriesOfRecord.reserveCapacity(bytes.count / 24)
        offsets.reserveCapacity(bytes.count / 24)
        var highestSeries: SeriesID = 0
        let walk = RecordFrame.walk(bytes, from: FileHeader.length) { kind, payload, frameOffset in
            guard kind == RecordFrame.Kind.result.rawValue,
                  let result = try? ResultRecordCodec.decode(payload) else { return }
            seriesOfRecord.append(result.series)
            offsets.append(frameOffset)
            highestSeries = max(highestSeries, result.series)
        }
        validEnd = walk.validEnd
        guard !offsets.isEmpty else { return }

        // Group by series, keeping append order within each: a counting sort over the dense ids, or
        // a comparison sort when the ids are far sparser than the records (a damaged or foreign
        // file must not make this allocate a slot for every id up to 4 billion).
        if Int(highestSeries) <= offsets.count * 4 + 65_536 {
            (runs, frameOffsets) = Self.groupByCounting(seriesOfRecord, offsets, highestSeries: highestSeries)
        } else {
            (runs, frameOffsets) = Self.groupBySorting(seriesOfRecord, offsets)
        }
    }

    private typealias Grouping = (runs: [(series: SeriesID, range: Range<Int>)], frameOffsets: [Int])

    /// Groups in time linear in records and ids, placing each offset directly.
    private static func groupByCounting(_ seriesOfRecord: [SeriesID], _ offsets: [Int], highestSeries: SeriesID) -> Grouping {
        // Records per id, then turned in place into where each id's next record goes.
        var next = [Int](repeating: 0, count: Int(highestSeries) + 1)
        for series in seriesOfRecord { next[Int(series)] += 1 }
        var runs: [(series: SeriesID, range: Range<Int>)] = []
        var position = 0
        for id in next.indices {
            let count = next[id]
            if count > 0 { runs.append((SeriesID(id), position..<(position + count))) }
            next[id] = position
            position += count
        }
        var grouped = [Int](repeating: 0, count: offsets.count)
        for (record, series) in seriesOfRecord.enumerated() {
            grouped[next[Int(series)]] = offsets[record]
            next[Int(series)] += 1
        }
        return (runs, grouped)
    }

    /// Groups by sorting the records' positions by series, then position (so stable).
    private static func groupBySorting(_ seriesOfRecord: [SeriesID], _ offsets: [Int]) -> Grouping {
        let order = seriesOfRecord.indices.sorted { (seriesOfRecord[$0], $0) < (seriesOfRecord[$1], $1) }
        var runs: [(series: SeriesID, range: Range<Int>)] = []
        var runStart = 0
        for (position, record) in order.enumerated() {
            let series = seriesOfRecord[record]
            if position + 1 == order.count || seriesOfRecord[order[position + 1]] != series {
                runs.append((series, runStart..<(position + 1)))
                runStart = position + 1
            }
        }
        return (runs, order.map { offsets[$0] })
    }

    /// Decodes the results at `range` of ``frameOffsets`` (a block of one series) into `results`,
    /// replacing what it held.
    func decode(_ range: Range<Int>, from bytes: UnsafeRawBufferPointer, into results: inout [StoredResult]) {
        results.removeAll(keepingCapacity: true)
        for frameOffset in frameOffsets[range] {
            // The walk already checked the frame's length and CRC, and that its payload decodes.
            let payload = RecordFrame.payload(ofValidFrameAt: frameOffset, in: bytes)
            if let result = try? ResultRecordCodec.decode(payload) { results.append(result) }
        }
    }
}
