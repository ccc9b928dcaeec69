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

/// Which kinds of section of a rollup a query reads.
struct RollupSections: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    static let counts = RollupSections(rawValue: 1)
    static let hours = RollupSections(rawValue: 2)
    static let days = RollupSections(rawValue: 4)
    static let all: RollupSections = [.counts, .hours, .days]
    /// The kinds in file order.
    static let allKinds: [RollupSections] = [.counts, .hours, .days]

    func range(in sections: SegmentDigest.SeriesSections) -> Range<Int> {
        switch self {
        case .counts: sections.counts
        case .hours: sections.histograms
        default: sections.days
        }
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
        // Each kind of section back to back (all counts, then all hours, then all days), so that
        // a query needing one kind reads one contiguous range.
        let ordered = digest.series.sorted { $0.key < $1.key }
        var placed: [[(offset: Int, length: Int, crc: UInt32)]] = Array(repeating: [], count: ordered.count)
        digest.bytes.withUnsafeBytes { raw in
            for kind in RollupSections.allKinds {
                for (position, (_, sections)) in ordered.enumerated() {
                    let range = kind.range(in: sections)
                    let part = UnsafeRawBufferPointer(rebasing: raw[range])
                    placed[position].append((bytes.count, range.count, CRC32C.checksum(part)))
                    bytes.append(contentsOf: part)
                }
            }
        }
        var index: [UInt8] = []
        DigestBytes.write(UInt64(ordered.count), into: &index)
        for (position, (series, _)) in ordered.enumerated() {
            DigestBytes.write(UInt64(series), into: &index)
            for section in placed[position] {
                DigestBytes.write(UInt64(section.offset), into: &index)
                DigestBytes.write(UInt64(section.length), into: &index)
                DigestBytes.writeUInt32(section.crc, into: &index)
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
                     series filter: Set<SeriesID>?, sections wanted: RollupSections) throws(RollupIOError) -> SegmentDigest? {
        guard let file = try RollupFileIO(reading: path) else { return nil }
        guard file.size >= headerLength + trailerLength else { throw RollupIOError("\(path): too short") }
        func bytes(_ offset: Int, _ count: Int) throws(RollupIOError) -> [UInt8] {
            try file.read(offset: offset, count: count)
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
            // The index first; then, per kind of section wanted, one read of the span holding the
            // selected series' sections (the whole kind when many series are selected).
            var entries: [(series: SeriesID, sections: [(offset: Int, length: Int, crc: UInt32)])] = []
            try index.withUnsafeBytes { (raw) throws in
                var cursor = DigestCursor(raw)
                let count = try cursor.count(atMost: UInt64(indexLength))
                entries.reserveCapacity(filter?.count ?? count)
                for _ in 0..<count {
                    let series = SeriesID(try cursor.count(atMost: UInt64(UInt32.max)))
                    var sections: [(offset: Int, length: Int, crc: UInt32)] = []
                    for _ in RollupSections.allKinds {
                        let offset = try cursor.count(atMost: UInt64(indexOffset))
                        let length = try cursor.count(atMost: UInt64(indexOffset - offset))
                        sections.append((offset, length, try cursor.uint32()))
                    }
                    if filter?.contains(series) ?? true { entries.append((series, sections)) }
                }
                digest.results = try cursor.count(atMost: UInt64(Int.max))
                if digest.results > 0 {
                    let earliest = try cursor.signedVarint(), latest = try cursor.signedVarint()
                    guard earliest <= latest else { throw DigestDecodingError("earliest start after latest") }
                    digest.startRange = earliest...latest
                }
            }
            var placed = [[Range<Int>]](repeating: [0..<0, 0..<0, 0..<0], count: entries.count)
            for (kindNumber, kind) in RollupSections.allKinds.enumerated() where wanted.contains(kind) {
                let low = entries.map { $0.sections[kindNumber].offset }.min() ?? 0
                let high = entries.map { $0.sections[kindNumber].offset + $0.sections[kindNumber].length }.max() ?? 0
                guard high > low else { continue }
                let span = try bytes(low, high - low)
                let base = digest.bytes.count
                digest.bytes.append(contentsOf: span)
                try digest.bytes.withUnsafeBytes { (raw) throws in
                    for (position, entry) in entries.enumerated() {
                        let section = entry.sections[kindNumber]
                        let range = (base + section.offset - low)..<(base + section.offset - low + section.length)
                        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[range])) == section.crc else {
                            throw DigestDecodingError("section CRC mismatch for series \(entry.series)")
                        }
                        placed[position][kindNumber] = range
                    }
                }
            }
            for (position, entry) in entries.enumerated() {
                digest.series[entry.series] = SegmentDigest.SeriesSections(
                    counts: placed[position][0], histograms: placed[position][1], days: placed[position][2])
            }
        } catch let error as RollupIOError {
            throw error
        } catch {
            throw RollupIOError("\(path): \(error)")
        }
        return digest
    }
}
