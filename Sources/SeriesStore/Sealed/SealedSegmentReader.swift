import WatchCore

/// A sealed file loaded for reading. Its bytes are never trusted: every offset, length and count
/// is checked, and a damaged index falls back to walking the blocks (whose headers carry their
/// own CRC), so undamaged blocks stay readable.
struct SealedSegmentReader: Sendable {
    let path: String
    private(set) var bytes: [UInt8]
    /// The blocks, from the index (or found by walking when the index is damaged).
    private(set) var blocks: [BlockSummary] = []
    /// Whether the summaries came from the index (false: found by walking, no summary values).
    private(set) var summariesFromIndex = true
    /// Damage found while opening (header, trailer, index, blocks skipped by the walk).
    private(set) var damages: [StoreDamage] = []

    /// Reads only the trailer and index (for summaries) when `summariesOnly`, else the whole file.
    init(path: String) throws(StoreError) {
        var spare: [UInt8] = []
        try self.init(path: path, reusing: &spare)
    }

    /// Whether summaries carry their latency sketch; block scans need only offsets and skip the
    /// sketches' decoding.
    private var decodesSketches = true

    /// Reads the file into `spare`'s storage (taken; give it back with ``releaseBytes()``).
    init(path: String, reusing spare: inout [UInt8], sketches: Bool = true) throws(StoreError) {
        self.path = path
        self.decodesSketches = sketches
        let file = try StoreFile(path: path, mode: .readOnly)
        var bytes = spare
        spare = []
        try file.readAll(into: &bytes)
        self.bytes = bytes
        bytes.withUnsafeBytes { raw in loadIndex(raw) }
    }

    private mutating func loadIndex(_ raw: UnsafeRawBufferPointer) {
        do {
            _ = try FileHeader.decode(raw, expecting: .sealedSegment)
        } catch {
            damages.append(StoreDamage(path: path, kind: .fileHeader, offset: 0, detail: "\(error)"))
        }
        do {
            blocks = try readIndex(raw)
            return
        } catch {
            damages.append(StoreDamage(path: path, kind: .blockIndex, offset: max(0, raw.count - SealedLayout.trailerLength),
                                       detail: "\(error.description); walking the blocks instead"))
        }
        summariesFromIndex = false
        blocks = walkBlocks(raw)
    }

    private func readIndex(_ raw: UnsafeRawBufferPointer) throws(DecodeFailure) -> [BlockSummary] {
        guard raw.count >= FileHeader.length + SealedLayout.trailerLength else { throw DecodeFailure("file too short for a trailer") }
        var trailer = ByteCursor(raw, offset: raw.count - SealedLayout.trailerLength)
        let indexOffset = try trailer.uint64()
        let indexLength = Int(try trailer.uint32())
        let indexCRC = try trailer.uint32()
        let blockCount = Int(try trailer.uint32())
        guard try trailer.uint32() == SealedLayout.trailerMagic else { throw DecodeFailure("bad trailer magic") }
        let indexEnd = raw.count - SealedLayout.trailerLength
        guard indexOffset >= UInt64(FileHeader.length), indexOffset <= UInt64(indexEnd),
              indexLength == indexEnd - Int(indexOffset)
        else { throw DecodeFailure("index offset or length out of bounds") }
        let indexBytes = UnsafeRawBufferPointer(rebasing: raw[Int(indexOffset)..<indexEnd])
        guard CRC32C.checksum(indexBytes) == indexCRC else { throw DecodeFailure("index CRC mismatch") }
        var cursor = ByteCursor(indexBytes)
        let count = try cursor.count(atMost: indexBytes.count / 8)
        guard count == blockCount else { throw DecodeFailure("index and trailer disagree on the block count") }
        var blocks: [BlockSummary] = []
        blocks.reserveCapacity(count)
        for number in 0..<count {
            let series = try cursor.varint()
            let offset = try cursor.count(atMost: Int(indexOffset))
            let length = try cursor.count(atMost: Int(indexOffset) - offset)
            let results = try cursor.count(atMost: SealedLayout.maximumBlockCount)
            let failures = try cursor.count(atMost: results)
            let minStart = try cursor.signedVarint()
            let span = try cursor.varint()
            guard series <= UInt64(UInt32.max), offset >= FileHeader.length, length > SealedLayout.blockHeaderLength,
                  span <= UInt64(Int64.max)
            else { throw DecodeFailure("index entry out of bounds") }
            var sketch = LatencySketch()
            if decodesSketches {
                var sketchOffset = cursor.offset
                do {
                    sketch = try LatencySketch(decoding: indexBytes, offset: &sketchOffset)
                } catch {
                    throw DecodeFailure("bad latency sketch in the index")
                }
                cursor.offset = sketchOffset
            } else {
                try Self.skipSketch(&cursor)
            }
            blocks.append(BlockSummary(
                path: path, blockNumber: number, series: UInt32(series), offset: offset, length: length, count: results,
                failures: failures, minStartMillis: minStart, maxStartMillis: minStart &+ Int64(span), latency: sketch))
        }
        return blocks
    }

    /// Steps over a serialized sketch (layout in docs/FORMAT.md) without building it.
    private static func skipSketch(_ cursor: inout ByteCursor) throws(DecodeFailure) {
        guard try cursor.byte() == LatencySketch.serializationVersion else { throw DecodeFailure("unknown sketch version") }
        var total = try cursor.varint()
        let bins = try cursor.count(atMost: min(cursor.remaining, 65_536))
        if bins > 0 {
            _ = try cursor.varint()
            for _ in 0..<bins { total |= try cursor.varint() }
        }
        if total > 0 { _ = try cursor.slice(24) }
    }

    /// Finds blocks by their self-checking headers, resynchronising on the next block magic after
    /// damage. Summaries found this way have full time bounds and an empty sketch.
    private mutating func walkBlocks(_ raw: UnsafeRawBufferPointer) -> [BlockSummary] {
        var blocks: [BlockSummary] = []
        var offset = FileHeader.length
        var damageStart: Int?
        while offset + SealedLayout.blockHeaderLength <= raw.count {
            if let header = try? SealedLayout.decodeBlockHeader(raw, at: offset, end: raw.count) {
                if let start = damageStart {
                    damages.append(StoreDamage(path: path, kind: .block, offset: start,
                                               detail: "\(offset - start) unreadable bytes before the next valid block header"))
                    damageStart = nil
                }
                let length = SealedLayout.blockHeaderLength + header.payloadLength
                blocks.append(BlockSummary(
                    path: path, blockNumber: blocks.count, series: header.series, offset: offset, length: length,
                    count: header.count, failures: 0, minStartMillis: .min, maxStartMillis: .max, latency: LatencySketch()))
                offset += length
            } else {
                if damageStart == nil { damageStart = offset }
                offset += 1
            }
        }
        return blocks
    }

    /// Hands the file's bytes back for reuse; the reader is empty afterwards.
    mutating func releaseBytes() -> [UInt8] {
        let released = bytes
        bytes = []
        blocks = []
        return released
    }

    /// Checks and decodes one block into `block`.
    func decode(
        _ summary: BlockSummary, into block: inout DecodedBlock, selection: BlockColumnSelection = .all
    ) throws(DecodeFailure) {
        try bytes.withRawBytes { (raw) throws(DecodeFailure) in
            let end = summary.offset + summary.length
            guard summary.offset >= 0, summary.length >= SealedLayout.blockHeaderLength, end <= raw.count else {
                throw DecodeFailure("block out of the file's bounds")
            }
            let header = try SealedLayout.decodeBlockHeader(raw, at: summary.offset, end: end)
            guard header.series == summary.series, header.count == summary.count,
                  SealedLayout.blockHeaderLength + header.payloadLength == summary.length
            else { throw DecodeFailure("block header disagrees with the index") }
            let payloadStart = summary.offset + SealedLayout.blockHeaderLength
            let payload = UnsafeRawBufferPointer(rebasing: raw[payloadStart..<(payloadStart + header.payloadLength)])
            guard CRC32C.checksum(payload) == header.payloadCRC else { throw DecodeFailure("block payload CRC mismatch") }
            try block.decode(payload: payload, series: header.series, count: header.count, selection: selection)
        }
    }

    /// The damage report for a block that failed to decode.
    func damage(_ summary: BlockSummary, _ failure: DecodeFailure) -> StoreDamage {
        StoreDamage(path: path, kind: .block, blockNumber: summary.blockNumber, offset: summary.offset, detail: failure.description)
    }
}
