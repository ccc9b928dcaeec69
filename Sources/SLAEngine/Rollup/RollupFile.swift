import SeriesStore
import WatchCore

/// Which sealed file a rollup was built from: its length and its index CRC (from its trailer). A
/// sealed file is immutable, so a rollup whose source no longer matches is stale and rebuilt.
struct SealedSourceIdentity: Sendable, Hashable {
    var length: UInt64
    var indexCRC: UInt32

    /// Reads the identity of the sealed file at `path`; `nil` when it vanished.
    static func of(sealedPath path: String) throws(RollupIOError) -> SealedSourceIdentity? {
        guard let file = try RollupFileIO(reading: path) else { return nil }
        guard file.size >= 32 + 24 else { throw RollupIOError("\(path): too short for a sealed trailer") }
        let trailer = try file.read(offset: file.size - 24, count: 24)
        let crc = trailer.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 12, as: UInt32.self)) }
        return SealedSourceIdentity(length: UInt64(file.size), indexCRC: crc)
    }
}

/// A rollup file `<sequence>.rollup` beside a sealed segment: the segment's ``SegmentDigest`` in the
/// ``DigestLayout/rollup`` layout (epoch minutes, epoch hours), so that long periods over many
/// targets are answered without decoding results. Layout in docs/FORMAT.md, "Rollup file".
enum RollupFile {
    static let magic: [UInt8] = Array("ISPWROLL".utf8)
    static let version: UInt16 = 1
    static let trailerMagic: UInt32 = 0x444E_4C52  // "RLND"
    static let headerLength = 32
    static let trailerLength = 32

    static func path(directory: String, sequence: UInt64) -> String {
        let hex = String(sequence, radix: 16)
        return "\(directory)/\(String(repeating: "0", count: max(0, 16 - hex.count)))\(hex).rollup"
    }

    /// The bytes of a rollup file for `digest`, built from the sealed file `source`.
    static func encode(_ digest: SegmentDigest, source: SealedSourceIdentity, createdMillis: Int64) -> [UInt8] {
        precondition(digest.layout == .rollup, "a rollup file holds the rollup layout")
        var bytes = magic
        withUnsafeBytes(of: version.littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [0, 0])
        DigestBytes.writeUInt64(digest.sequence, into: &bytes)
        DigestBytes.writeUInt64(UInt64(bitPattern: createdMillis), into: &bytes)
        DigestBytes.writeUInt32(CRC32C.checksum(bytes), into: &bytes)
        let sectionsStart = bytes.count
        bytes.append(contentsOf: digest.bytes)
        var index: [UInt8] = []
        let ordered = digest.series.sorted { $0.key < $1.key }
        DigestBytes.write(UInt64(ordered.count), into: &index)
        digest.bytes.withUnsafeBytes { raw in
            for (series, sections) in ordered {
                DigestBytes.write(UInt64(series), into: &index)
                for range in [sections.counts, sections.histograms] {
                    DigestBytes.write(UInt64(sectionsStart + range.lowerBound), into: &index)
                    DigestBytes.write(UInt64(range.count), into: &index)
                    DigestBytes.writeUInt32(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[range])), into: &index)
                }
            }
        }
        DigestBytes.write(UInt64(digest.results), into: &index)
        if let range = digest.startRange {
            DigestBytes.writeSigned(range.lowerBound, into: &index)
            DigestBytes.writeSigned(range.upperBound, into: &index)
        }
        let indexOffset = bytes.count
        bytes.append(contentsOf: index)
        DigestBytes.writeUInt64(UInt64(indexOffset), into: &bytes)
        DigestBytes.writeUInt32(UInt32(index.count), into: &bytes)
        DigestBytes.writeUInt32(CRC32C.checksum(index), into: &bytes)
        DigestBytes.writeUInt64(source.length, into: &bytes)
        DigestBytes.writeUInt32(source.indexCRC, into: &bytes)
        DigestBytes.writeUInt32(trailerMagic, into: &bytes)
        return bytes
    }

    /// Reads the rollup at `path` for the sealed file identified by `source`, keeping only `series`
    /// (all when `nil`; a few are read with positional reads, not the whole file).
    ///
    /// - Returns: `nil` when there is no rollup or it was built from another sealed file (stale).
    /// - Throws: `RollupIOError` when the file is damaged (its CRCs disagree) or cannot be read.
    static func read(path: String, sequence: UInt64, source: SealedSourceIdentity,
                     series filter: Set<SeriesID>?) throws(RollupIOError) -> SegmentDigest? {
        guard let file = try RollupFileIO(reading: path) else { return nil }
        guard file.size >= headerLength + trailerLength else { throw RollupIOError("\(path): too short") }
        let whole = filter == nil || filter!.count > 64 ? try file.read(offset: 0, count: file.size) : nil
        func bytes(_ offset: Int, _ count: Int) throws(RollupIOError) -> [UInt8] {
            if let whole {
                guard offset >= 0, count >= 0, offset + count <= whole.count else { throw RollupIOError("\(path): range out of the file") }
                return Array(whole[offset..<(offset + count)])
            }
            return try file.read(offset: offset, count: count)
        }
        let header = try bytes(0, headerLength)
        guard Array(header[0..<8]) == magic else { throw RollupIOError("\(path): not a rollup file") }
        let (fileVersion, fileSequence, headerCRC) = header.withUnsafeBytes { raw in
            (UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)),
             UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 12, as: UInt64.self)),
             UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 28, as: UInt32.self)))
        }
        guard CRC32C.checksum(Array(header[0..<28])) == headerCRC else { throw RollupIOError("\(path): header CRC mismatch") }
        // Another version or another segment's file: rebuilt, never misread.
        guard fileVersion == version, fileSequence == sequence else { return nil }
        let trailer = try bytes(file.size - trailerLength, trailerLength)
        let (indexOffset, indexLength, indexCRC, sourceLength, sourceCRC, endMagic) = trailer.withUnsafeBytes { raw in
            (Int(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))),
             Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self))),
             UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self)),
             UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
             UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt32.self)),
             UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 28, as: UInt32.self)))
        }
        guard endMagic == trailerMagic else { throw RollupIOError("\(path): bad trailer magic") }
        guard SealedSourceIdentity(length: sourceLength, indexCRC: sourceCRC) == source else { return nil }
        guard indexOffset >= headerLength, indexOffset + indexLength == file.size - trailerLength else {
            throw RollupIOError("\(path): index out of bounds")
        }
        let index = try bytes(indexOffset, indexLength)
        guard CRC32C.checksum(index) == indexCRC else { throw RollupIOError("\(path): index CRC mismatch") }
        var digest = SegmentDigest(sequence: sequence, layout: .rollup)
        do {
            try index.withUnsafeBytes { (raw) throws in
                var cursor = DigestCursor(raw)
                let count = try cursor.count(atMost: UInt64(indexLength))
                for _ in 0..<count {
                    let series = SeriesID(try cursor.count(atMost: UInt64(UInt32.max)))
                    var ranges: [(offset: Int, length: Int, crc: UInt32)] = []
                    for _ in 0..<2 {
                        let offset = try cursor.count(atMost: UInt64(indexOffset))
                        let length = try cursor.count(atMost: UInt64(indexOffset - offset))
                        ranges.append((offset, length, try cursor.uint32()))
                    }
                    guard filter?.contains(series) ?? true else { continue }
                    var sections: [Range<Int>] = []
                    for range in ranges {
                        let part: [UInt8]
                        part = try bytes(range.offset, range.length)
                        guard CRC32C.checksum(part) == range.crc else {
                            throw DigestDecodingError("section CRC mismatch for series \(series)")
                        }
                        sections.append(digest.bytes.count..<(digest.bytes.count + part.count))
                        digest.bytes.append(contentsOf: part)
                    }
                    digest.series[series] = SegmentDigest.SeriesSections(counts: sections[0], histograms: sections[1])
                }
                digest.results = try cursor.count(atMost: UInt64(Int.max))
                if digest.results > 0 {
                    let earliest = try cursor.signedVarint(), latest = try cursor.signedVarint()
                    guard earliest <= latest else { throw DigestDecodingError("earliest start after latest") }
                    digest.startRange = earliest...latest
                }
            }
        } catch {
            throw RollupIOError("\(path): \(error)")
        }
        return digest
    }
}
