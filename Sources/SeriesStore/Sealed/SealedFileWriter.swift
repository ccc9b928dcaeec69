import WatchCore

/// Writes a sealed file: header, one run of blocks per series (ascending id, each block ≤
/// `blockCapacity` results in append order), the index with a summary per block, trailer.
///
/// Index: `blockCount varint · entry*`, entry = `series varint · offset varint · length varint ·
/// count varint · failures varint · minStart zigzag-varint · (maxStart − minStart) varint ·
/// latency sketch (see LatencySketch serialization)`.
enum SealedFileWriter {
    /// How many bytes are gathered before each write to the file, by default.
    static let defaultWriteSize = 1 << 20

    /// Writes the sealed file of `records`, whose frames are in `segment`, into the empty `file`.
    ///
    /// Each series' results are decoded one block at a time and the blocks go to the file about a
    /// mebibyte at a time; only the index stays in memory until the end (a few dozen bytes a block).
    /// Building the whole file in one array first cost up to twice its size while the array grew
    /// (96 MB for a 33 MB file).
    ///
    /// - Returns: the file's size, its blocks and its series.
    static func write(
        sequence: UInt64, records: SegmentRecords, segment: UnsafeRawBufferPointer, blockCapacity: Int,
        createdMillis: Int64, writeSize: Int = defaultWriteSize, to file: StoreFile
    ) throws(StoreError) -> (bytes: Int, blocks: Int, series: Int) {
        var output = ByteWriter(capacity: writeSize + (1 << 16))
        var flushed = 0
        output.append(FileHeader(kind: .sealedSegment, sequence: sequence, createdMillis: createdMillis).encoded())
        var entries = ByteWriter(capacity: 4096)
        var blocks = 0
        var payload = ByteWriter(capacity: 1 << 16)
        var block: [StoredResult] = []
        block.reserveCapacity(blockCapacity)
        var sketchBytes: [UInt8] = []
        for (series, range) in records.runs {
            var start = range.lowerBound
            while start < range.upperBound {
                let end = min(start + blockCapacity, range.upperBound)
                records.decode(start..<end, from: segment, into: &block)
                start = end
                guard !block.isEmpty else { continue }
                let slice = block[...]
                payload.bytes.removeAll(keepingCapacity: true)
                BlockEncoder.encodePayload(slice, into: &payload)
                let offset = flushed + output.count
                let crc = payload.bytes.withUnsafeBytes { CRC32C.checksum($0) }
                SealedLayout.encodeBlockHeader(
                    .init(series: series, count: slice.count, payloadLength: payload.count, payloadCRC: crc), into: &output)
                output.append(payload.bytes)
                let summary = BlockEncoder.summarize(slice)
                entries.varint(UInt64(series))
                entries.varint(UInt64(offset))
                entries.varint(UInt64(flushed + output.count - offset))
                entries.varint(UInt64(slice.count))
                entries.varint(UInt64(summary.failures))
                entries.signedVarint(summary.minStart)
                entries.varint(UInt64(bitPattern: summary.maxStart &- summary.minStart))
                sketchBytes.removeAll(keepingCapacity: true)
                summary.sketch.serialize(into: &sketchBytes)
                entries.append(sketchBytes)
                blocks += 1
                if output.count >= writeSize {
                    try file.write(output.bytes, at: flushed)
                    flushed += output.count
                    output.bytes.removeAll(keepingCapacity: true)
                }
            }
        }
        var index = ByteWriter(capacity: entries.count + 10)
        index.varint(UInt64(blocks))
        index.append(entries.bytes)
        entries = ByteWriter(capacity: 0)  // Its copy is in `index`: let it go before `output` grows.
        let indexOffset = flushed + output.count
        output.append(index.bytes)
        output.uint64(UInt64(indexOffset))
        output.uint32(UInt32(index.count))
        output.uint32(index.bytes.withUnsafeBytes { CRC32C.checksum($0) })
        output.uint32(UInt32(blocks))
        output.uint32(SealedLayout.trailerMagic)
        try file.write(output.bytes, at: flushed)
        return (flushed + output.count, blocks, records.runs.count)
    }
}
