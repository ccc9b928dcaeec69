@testable import SeriesStore
import Testing
import WatchCore

/// The grouping sealing reads a closed active segment through: every valid result, by series in
/// ascending id, in append order within a series, one block at a time.
@Suite struct SegmentRecordsTests {
    /// The bytes of an active segment holding `results`, in order, then `tail` (damage).
    private func segment(_ results: [StoredResult], tail: [UInt8] = []) -> [UInt8] {
        var writer = ByteWriter()
        writer.append(FileHeader(kind: .activeSegment, sequence: 7, createdMillis: 1_790_000_000_000).encoded())
        for result in results {
            RecordFrame.append(kind: .result, to: &writer) { ResultRecordCodec.encode(result, into: &$0) }
        }
        writer.append(tail)
        return writer.bytes
    }

    /// Every result of `records`, decoded `blockCapacity` at a time, by series.
    private func decoded(_ records: SegmentRecords, _ bytes: [UInt8], blockCapacity: Int) -> [SeriesID: [StoredResult]] {
        var grouped: [SeriesID: [StoredResult]] = [:]
        var block: [StoredResult] = []
        bytes.withUnsafeBytes { raw in
            for (series, range) in records.runs {
                for start in stride(from: range.lowerBound, to: range.upperBound, by: blockCapacity) {
                    records.decode(start..<min(start + blockCapacity, range.upperBound), from: raw, into: &block)
                    #expect(block.allSatisfy { $0.series == series })
                    grouped[series, default: []] += block
                }
            }
        }
        return grouped
    }

    @Test(arguments: [
        [SeriesID(3), 0, 9, 3, 1],  // dense ids, interleaved
        [SeriesID(4_000_000_000), 12, 4_000_000_000, 7],  // sparse ids: the comparison sort
    ])
    func recordsAreGroupedBySeriesInAppendOrder(series: [SeriesID]) {
        let results = edgeCaseResults(series: series, count: 500, seed: 11)
        let bytes = segment(results)
        let records = bytes.withUnsafeBytes { SegmentRecords(segment: $0) }
        #expect(records.count == results.count)
        #expect(records.validEnd == bytes.count)
        #expect(records.createdMillis == 1_790_000_000_000)
        #expect(records.runs.map(\.series) == Set(series).sorted())
        #expect(decoded(records, bytes, blockCapacity: 7) == bySeries(results))
    }

    @Test func aDamagedTailIsDroppedAndWhatPrecedesItKept() {
        let results = edgeCaseResults(series: [1, 2], count: 40, seed: 3)
        // A frame that claims more bytes than follow: a torn write.
        let bytes = segment(results, tail: [200, 0, 0, 0, 1, 2, 3])
        let records = bytes.withUnsafeBytes { SegmentRecords(segment: $0) }
        #expect(records.count == results.count)
        #expect(records.validEnd == bytes.count - 7)
        #expect(decoded(records, bytes, blockCapacity: 1_024) == bySeries(results))
    }

    /// The sealed file goes out in pieces: the block offsets in its index must not depend on where
    /// the pieces were cut.
    @Test func theSealedFileIsTheSameWhateverTheSizeOfTheWrites() throws {
        let results = edgeCaseResults(series: [5, 1, 2, 9], count: 3_000, seed: 17)
        let bytes = segment(results)
        let records = bytes.withUnsafeBytes { SegmentRecords(segment: $0) }
        let directory = TemporaryDirectory("sealed-writes")
        defer { directory.remove() }
        var files: [[UInt8]] = []
        for writeSize in [1 << 20, 4_096, 1] {
            let path = "\(directory.path)/\(writeSize).sealed"
            let file = try StoreFile(path: path, mode: .createNew)
            let written = try bytes.withRawBytes { (segment) throws(StoreError) in
                try SealedFileWriter.write(sequence: 7, records: records, segment: segment, blockCapacity: 100,
                                           createdMillis: 1_790_000_000_000, writeSize: writeSize, to: file)
            }
            let contents = try StoreFile(path: path, mode: .readOnly).readAll()
            #expect(written.bytes == contents.count)
            #expect(written.series == 4)
            files.append(contents)
        }
        #expect(files[0].count > 4_096 * 2, "the file must span several writes")
        #expect(files[1] == files[0])
        #expect(files[2] == files[0])
    }

    @Test func aSegmentWithoutAHeaderHasNoRecords() {
        let bytes = Array(segment(edgeCaseResults(series: [1], count: 5, seed: 1)).dropFirst())
        let records = bytes.withUnsafeBytes { SegmentRecords(segment: $0) }
        #expect(records.count == 0)
        #expect(records.runs.isEmpty)
        #expect(records.validEnd == 0)
        #expect(records.createdMillis == nil)
    }
}
