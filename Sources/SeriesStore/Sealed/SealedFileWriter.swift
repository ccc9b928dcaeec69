import WatchCore

/// Builds the bytes of a sealed file: header, one run of blocks per series (ascending id, each
/// block ≤ `blockCapacity` results in append order), the index with a summary per block, trailer.
///
/// Index: `blockCount varint · entry*`, entry = `series varint · offset varint · length varint ·
/// count varint · failures varint · minStart zigzag-varint · (maxStart − minStart) varint ·
/// latency sketch (see LatencySketch serialization)`.
enum SealedFileWriter {
    /// The sealed file of `records`, whose frames are in `segment`: each series' results are decoded
    /// one block at a time, so no more than one block of them is held at once.
    static func build(
        sequence: UInt64, records: SegmentRecords, segment: UnsafeRawBufferPointer, blockCapacity: Int,
        createdMillis: Int64
    ) -> (bytes: [UInt8], blocks: Int, series: Int) {
        var writer = ByteWriter(capacity: records.count * 3 + 4096)
        writer.append(FileHeader(kind: .sealedSegment, sequence: sequence, createdMillis: createdMillis).encoded())
        var index = ByteWriter(capacity: 4096)
        var entries: [(offset: Int, length: Int, series: SeriesID, count: Int, failures: Int, minStart: Int64, maxStart: Int64, sketch: LatencySketch)] = []
        var payload = ByteWriter(capacity: 1 << 16)
        var block: [StoredResult] = []
        block.reserveCapacity(blockCapacity)
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
                let offset = writer.count
                let crc = payload.bytes.withUnsafeBytes { CRC32C.checksum($0) }
                SealedLayout.encodeBlockHeader(
                    .init(series: series, count: slice.count, payloadLength: payload.count, payloadCRC: crc), into: &writer)
                writer.append(payload.bytes)
                let summary = BlockEncoder.summarize(slice)
                entries.append((offset, writer.count - offset, series, slice.count, summary.failures,
                                summary.minStart, summary.maxStart, summary.sketch))
            }
        }
        index.varint(UInt64(entries.count))
        var sketchBytes: [UInt8] = []
        for entry in entries {
            index.varint(UInt64(entry.series))
            index.varint(UInt64(entry.offset))
            index.varint(UInt64(entry.length))
            index.varint(UInt64(entry.count))
            index.varint(UInt64(entry.failures))
            index.signedVarint(entry.minStart)
            index.varint(UInt64(bitPattern: entry.maxStart &- entry.minStart))
            sketchBytes.removeAll(keepingCapacity: true)
            entry.sketch.serialize(into: &sketchBytes)
            index.append(sketchBytes)
        }
        let indexOffset = writer.count
        writer.append(index.bytes)
        writer.uint64(UInt64(indexOffset))
        writer.uint32(UInt32(index.count))
        writer.uint32(index.bytes.withUnsafeBytes { CRC32C.checksum($0) })
        writer.uint32(UInt32(entries.count))
        writer.uint32(SealedLayout.trailerMagic)
        return (writer.bytes, entries.count, records.runs.count)
    }
}
