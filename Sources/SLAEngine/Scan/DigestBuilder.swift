import SeriesStore
import WatchCore

/// Builds a ``SegmentDigest`` from one segment's results, series by series (a sealed segment holds
/// each series' blocks together) or interleaved (an active segment).
struct DigestBuilder {
    private struct SeriesAccumulator {
        var firstSlice: Int64 = 0
        var probes: [UInt32] = []
        var failures: [UInt32] = []
        var histogramBytes: [UInt8] = []
        var histogramCount = 0
        var previousBucket: Int64 = 0
        var currentBucket: Int64?
        var histogram = LatencyHistogram()
        var scratchBytes: [UInt8] = []
        /// Scratch for rollups' day histograms.
        var dayHistogram = LatencyHistogram()
    }

    private(set) var digest: SegmentDigest
    private let tables = LatencyBuckets.tables
    private var accumulators: [SeriesID: SeriesAccumulator] = [:]
    private var spare: [SeriesAccumulator] = []
    private var earliest = Int64.max, latest = Int64.min

    init(sequence: UInt64, layout: DigestLayout) {
        digest = SegmentDigest(sequence: sequence, layout: layout)
    }

    /// Adds the results of a decoded sealed block (times, outcomes and latency decoded).
    mutating func add(_ block: borrowing DecodedBlock) {
        let series = block.series
        var accumulator = accumulators.removeValue(forKey: series) ?? spare.popLast() ?? SeriesAccumulator()
        let layout = digest.layout
        let count = block.count
        block.startMillis.withUnsafeBufferPointer { start in
            block.success.withUnsafeBufferPointer { success in
                block.latencyMicros.withUnsafeBufferPointer { latency in
                    addBlock(start, success, latency, count, layout, &accumulator)
                }
            }
        }
        accumulators[series] = accumulator
    }

    /// The hot loop of a scan: one pass over a block's columns with the slice arrays and the
    /// histogram held by pointer, a division only when a result leaves the current slice (a
    /// slice holds one or more consecutive results of a series, as probes are appended in time
    /// order), and the loop left only to write out a histogram when the latency bucket changes.
    private mutating func addBlock(
        _ start: UnsafeBufferPointer<Int64>, _ success: UnsafeBufferPointer<UInt8>, _ latency: UnsafeBufferPointer<UInt32>,
        _ count: Int, _ layout: DigestLayout, _ accumulator: inout SeriesAccumulator
    ) {
        // Make the slice arrays cover the block first, so that the loop needs no bounds check.
        var low = Int64.max, high = Int64.min
        for index in 0..<count {
            let time = start[index]
            guard time >= layout.fromMillis, time < layout.toMillis else { continue }
            low = Swift.min(low, time)
            high = Swift.max(high, time)
        }
        guard low <= high else { return }
        if low < earliest { earliest = low }
        if high > latest { latest = high }
        for slice in [layout.slice(of: low), layout.slice(of: high)] {
            if accumulator.probes.isEmpty || slice < accumulator.firstSlice
                || slice - accumulator.firstSlice >= Int64(accumulator.probes.count) {
                Self.grow(&accumulator, toHold: slice)
            }
        }
        let tables = self.tables
        var index = 0
        var added = 0
        while index < count {
            var probes = accumulator.probes, failures = accumulator.failures
            accumulator.probes = []
            accumulator.failures = []
            var counts = accumulator.histogram.takeCounts()
            var newBucket: Int64?
            probes.withUnsafeMutableBufferPointer { probes in
                failures.withUnsafeMutableBufferPointer { failures in
                    counts.withUnsafeMutableBufferPointer { counts in
                        let firstSlice = accumulator.firstSlice
                        // Empty until the first result: every start time is outside them.
                        var sliceStart = Int64.max, sliceEnd = Int64.max
                        var bucketStart = Int64.max, bucketEnd = Int64.max
                        var offset = 0
                        while index < count {
                            let time = start[index]
                            guard time >= layout.fromMillis, time < layout.toMillis else {
                                index += 1
                                continue
                            }
                            if time < sliceStart || time >= sliceEnd {
                                let slice: Int64
                                if time >= sliceEnd, time &- sliceEnd < layout.sliceMillis {
                                    slice = Int64(offset) + firstSlice + 1
                                } else {
                                    slice = layout.slice(of: time)
                                }
                                let newStart = layout.sliceOrigin &+ slice &* layout.sliceMillis
                                if newStart < bucketStart || newStart >= bucketEnd {
                                    let bucket = layout.bucket(ofSlice: slice)
                                    if bucket != accumulator.currentBucket {
                                        newBucket = bucket
                                        return  // Leave the loop to write out the histogram.
                                    }
                                    bucketStart = layout.bucketOrigin &+ bucket &* layout.bucketMillis
                                    bucketEnd = bucketStart &+ layout.bucketMillis
                                }
                                offset = Int(slice - firstSlice)
                                sliceStart = newStart
                                sliceEnd = newStart &+ layout.sliceMillis
                            }
                            probes[offset] &+= 1
                            added &+= 1
                            if success[index] != 0 {
                                let micros = latency[index]
                                accumulator.histogram.add(micros, bucket: micros > 0 ? tables.index(micros) : 0,
                                                          counts: counts.baseAddress!)
                            } else {
                                failures[offset] &+= 1
                            }
                            index += 1
                        }
                    }
                }
            }
            accumulator.probes = probes
            accumulator.failures = failures
            accumulator.histogram.restoreCounts(counts)
            if let newBucket {
                Self.flushHistogram(&accumulator)
                accumulator.currentBucket = newBucket
            }
        }
        digest.results += added
    }

    /// Adds one result.
    mutating func add(_ result: StoredResult) {
        var accumulator = accumulators.removeValue(forKey: result.series) ?? spare.popLast() ?? SeriesAccumulator()
        add(result.startMillis, result.success, result.latencyMicros, digest.layout, &accumulator)
        accumulators[result.series] = accumulator
    }

    @inline(__always)
    private mutating func add(_ start: Int64, _ success: Bool, _ latency: UInt32, _ layout: DigestLayout,
                              _ accumulator: inout SeriesAccumulator) {
        guard start >= layout.fromMillis, start < layout.toMillis else { return }
        digest.results += 1
        if start < earliest { earliest = start }
        if start > latest { latest = start }
        let slice = layout.slice(of: start)
        if accumulator.probes.isEmpty {
            accumulator.firstSlice = slice
        }
        var offset = slice &- accumulator.firstSlice
        if offset < 0 || offset >= Int64(accumulator.probes.count) {
            Self.grow(&accumulator, toHold: slice)
            offset = slice &- accumulator.firstSlice
        }
        accumulator.probes.withUnsafeMutableBufferPointer { $0[Int(offset)] &+= 1 }
        if !success { accumulator.failures.withUnsafeMutableBufferPointer { $0[Int(offset)] &+= 1 } }
        guard success else { return }
        let bucket = layout.bucket(ofSlice: slice)
        if bucket != accumulator.currentBucket {
            Self.flushHistogram(&accumulator)
            accumulator.currentBucket = bucket
        }
        accumulator.histogram.add(latency, tables: tables)
    }

    /// Makes the slice arrays cover `slice` (rare: once per series, or on results out of order).
    private static func grow(_ accumulator: inout SeriesAccumulator, toHold slice: Int64) {
        if accumulator.probes.isEmpty {
            accumulator.firstSlice = slice
            accumulator.probes.append(contentsOf: repeatElement(0, count: 1_024))
            accumulator.failures.append(contentsOf: repeatElement(0, count: 1_024))
        } else if slice < accumulator.firstSlice {
            let extra = Int(accumulator.firstSlice - slice) + 256
            accumulator.probes.insert(contentsOf: repeatElement(0, count: extra), at: 0)
            accumulator.failures.insert(contentsOf: repeatElement(0, count: extra), at: 0)
            accumulator.firstSlice -= Int64(extra)
        } else {
            let needed = Int(slice - accumulator.firstSlice) + 1
            let extra = Swift.max(needed - accumulator.probes.count, accumulator.probes.count)
            accumulator.probes.append(contentsOf: repeatElement(0, count: extra))
            accumulator.failures.append(contentsOf: repeatElement(0, count: extra))
        }
    }

    private static func flushHistogram(_ accumulator: inout SeriesAccumulator) {
        guard let bucket = accumulator.currentBucket, !accumulator.histogram.isEmpty else { return }
        let delta = accumulator.histogramCount == 0 ? bucket : bucket &- accumulator.previousBucket
        DigestBytes.writeSigned(delta, into: &accumulator.histogramBytes)
        accumulator.histogram.encodeAndReset(into: &accumulator.scratchBytes)
        DigestBytes.write(UInt64(accumulator.scratchBytes.count), into: &accumulator.histogramBytes)
        accumulator.histogramBytes.append(contentsOf: accumulator.scratchBytes)
        accumulator.scratchBytes.removeAll(keepingCapacity: true)
        accumulator.previousBucket = bucket
        accumulator.histogramCount += 1
    }

    /// The day histograms section of a rollup: the hour histograms just written, merged per UTC day.
    private static func encodeDays(_ accumulator: inout SeriesAccumulator, into bytes: inout [UInt8]) {
        var days: [(day: Int64, bytes: [UInt8])] = []
        var currentDay: Int64?
        var merged = accumulator.dayHistogram
        func flush() {
            guard let day = currentDay, !merged.isEmpty else { return }
            var encoded: [UInt8] = []
            merged.encodeAndReset(into: &encoded)
            days.append((day, encoded))
        }
        accumulator.histogramBytes.withUnsafeBytes { raw in
            var cursor = DigestCursor(raw)
            var hour: Int64 = 0
            for index in 0..<accumulator.histogramCount {
                // The bytes were written above by this builder; they cannot be malformed.
                let delta = try! cursor.signedVarint()
                hour = index == 0 ? delta : hour &+ delta
                _ = try! cursor.varint()
                let day = DigestLayout.floorDivide(hour, 24)
                if day != currentDay {
                    flush()
                    currentDay = day
                }
                try! merged.merge(decoding: &cursor)
            }
        }
        flush()
        accumulator.dayHistogram = merged
        DigestBytes.write(UInt64(days.count), into: &bytes)
        var previous: Int64 = 0
        for (index, entry) in days.enumerated() {
            DigestBytes.writeSigned(index == 0 ? entry.day : entry.day &- previous, into: &bytes)
            DigestBytes.write(UInt64(entry.bytes.count), into: &bytes)
            bytes.append(contentsOf: entry.bytes)
            previous = entry.day
        }
    }

    /// Writes out `series` now (a sealed segment's scan moved on to the next series).
    mutating func finish(series: SeriesID) {
        guard var accumulator = accumulators.removeValue(forKey: series) else { return }
        Self.flushHistogram(&accumulator)
        let countsStart = digest.bytes.count
        Self.encodeRuns(accumulator, into: &digest.bytes)
        let histogramsStart = digest.bytes.count
        DigestBytes.write(UInt64(accumulator.histogramCount), into: &digest.bytes)
        digest.bytes.append(contentsOf: accumulator.histogramBytes)
        let daysStart = digest.bytes.count
        if digest.layout == .rollup { Self.encodeDays(&accumulator, into: &digest.bytes) }
        digest.series[series] = SegmentDigest.SeriesSections(
            counts: countsStart..<histogramsStart, histograms: histogramsStart..<daysStart, days: daysStart..<digest.bytes.count)
        // Keep the scratch arrays' storage for the next series.
        accumulator.histogramBytes.removeAll(keepingCapacity: true)
        accumulator.histogramCount = 0
        accumulator.currentBucket = nil
        accumulator.firstSlice = 0
        accumulator.probes.removeAll(keepingCapacity: true)
        accumulator.failures.removeAll(keepingCapacity: true)
        spare.append(accumulator)
    }

    private static func encodeRuns(_ accumulator: SeriesAccumulator, into bytes: inout [UInt8]) {
        var runs: [(first: Int64, length: Int, probes: UInt32, failures: UInt32)] = []
        let probes = accumulator.probes, failures = accumulator.failures
        var index = 0
        while index < probes.count {
            guard probes[index] > 0 else { index += 1; continue }
            var end = index + 1
            while end < probes.count, probes[end] == probes[index], failures[end] == failures[index] { end += 1 }
            runs.append((accumulator.firstSlice + Int64(index), end - index, probes[index], failures[index]))
            index = end
        }
        DigestBytes.write(UInt64(runs.count), into: &bytes)
        var previousEnd: Int64 = 0
        for run in runs {
            DigestBytes.writeSigned(run.first &- previousEnd, into: &bytes)
            DigestBytes.write(UInt64(run.length), into: &bytes)
            DigestBytes.write(UInt64(run.probes), into: &bytes)
            DigestBytes.write(UInt64(run.failures), into: &bytes)
            previousEnd = run.first + Int64(run.length)
        }
    }

    /// The finished digest (every series written out).
    mutating func finish() -> SegmentDigest {
        for series in accumulators.keys.sorted() { finish(series: series) }
        if earliest <= latest { digest.startRange = earliest...latest }
        return digest
    }
}
