import WatchCore

/// The durable series index: `series.index`, a file header then one framed entry (kind 2) per
/// registered series, appended and never rewritten. A later entry for the same id replaces the
/// metadata of an earlier one.
///
/// Entry payload: `id varint · target str · vantage str · family u8 (0 v4, 1 v6) · provider str ·
/// service str · kind u8 (0 none, 1 dns, 2 http, 3 tcp, 4 icmp) · region str · labelCount varint ·
/// (key str · value str)*` where `str` is a varint length and UTF-8 bytes.
enum SeriesIndexFile {
    static func encodeEntry(_ entry: SeriesEntry, into writer: inout ByteWriter) {
        RecordFrame.append(kind: .seriesEntry, to: &writer) { writer in
            writer.varint(UInt64(entry.id))
            writer.string(entry.key.target.rawValue)
            writer.string(entry.key.vantage)
            writer.byte(entry.key.family == .v4 ? 0 : 1)
            encodeMetadata(entry.metadata, into: &writer)
        }
    }

    /// The metadata part of an entry, labels sorted by key: the same metadata always gives the same bytes.
    static func encodeMetadata(_ metadata: SeriesMetadata, into writer: inout ByteWriter) {
        writer.string(metadata.provider)
        writer.string(metadata.service)
        writer.byte(kindCode(metadata.kind))
        writer.string(metadata.region)
        let labels = metadata.labels.sorted { $0.key < $1.key }
        writer.varint(UInt64(labels.count))
        for (key, value) in labels {
            writer.string(key)
            writer.string(value)
        }
    }

    /// A 64-bit FNV-1a digest of the metadata's encoding: what the writer keeps per series to notice
    /// changed metadata without keeping every label of 100,000 series in memory. Two different
    /// metadata share a digest with a chance of about 2⁻⁶⁴; the change would then go unrecorded.
    static func metadataDigest(_ metadata: SeriesMetadata) -> UInt64 {
        var writer = ByteWriter(capacity: 64)
        encodeMetadata(metadata, into: &writer)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in writer.bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    static func decodeEntry(_ payload: UnsafeRawBufferPointer) throws(DecodeFailure) -> SeriesEntry {
        var cursor = ByteCursor(payload)
        let id = try cursor.varint()
        guard id <= UInt64(UInt32.max) else { throw DecodeFailure("series id out of range") }
        let target = try cursor.string()
        let vantage = try cursor.string()
        let familyCode = try cursor.byte()
        guard familyCode <= 1 else { throw DecodeFailure("unknown IP family code") }
        var metadata = SeriesMetadata()
        metadata.provider = try cursor.string()
        metadata.service = try cursor.string()
        let kindCode = try cursor.byte()
        metadata.kind = try kind(forCode: kindCode)
        metadata.region = try cursor.string()
        let labelCount = try cursor.count(atMost: cursor.remaining / 2)
        for _ in 0..<labelCount {
            let key = try cursor.string()
            metadata.labels[key] = try cursor.string()
        }
        let key = SeriesKey(target: TargetID(target), vantage: vantage, family: familyCode == 0 ? .v4 : .v6)
        return SeriesEntry(id: UInt32(id), key: key, metadata: metadata)
    }

    static func kindCode(_ kind: ProbeKind?) -> UInt8 {
        switch kind {
        case nil: 0
        case .dns: 1
        case .http: 2
        case .tcp: 3
        case .icmp: 4
        }
    }

    static func kind(forCode code: UInt8) throws(DecodeFailure) -> ProbeKind? {
        switch code {
        case 0: nil
        case 1: .dns
        case 2: .http
        case 3: .tcp
        case 4: .icmp
        default: throw DecodeFailure("unknown probe kind code")
        }
    }

    /// How far the index is valid.
    struct Extent {
        /// Where valid data ends (a torn tail beyond it is dropped by the writer).
        var validEnd: Int = FileHeader.length
        /// Why the walk stopped before the end of the file, if it did.
        var stop: RecordFrame.Stop?
        var fileLength = 0
    }

    /// Every valid entry by id (the last entry of an id wins); stops at the first damaged frame.
    static func load(_ bytes: UnsafeRawBufferPointer, path: String) throws(StoreError) -> [SeriesID: SeriesEntry] {
        var entries: [SeriesID: SeriesEntry] = [:]
        _ = try walk(bytes, path: path) { entries[$0.id] = $0 }
        return entries
    }

    /// Calls `visit` with every valid entry in file order (a later entry of an id replaces an earlier
    /// one); stops at the first damaged frame.
    static func walk(
        _ bytes: UnsafeRawBufferPointer, path: String, visit: (SeriesEntry) -> Void = { _ in }
    ) throws(StoreError) -> Extent {
        do {
            _ = try FileHeader.decode(bytes, expecting: .seriesIndex)
        } catch {
            throw StoreError.corrupt("series index header: \(error.description)", path: path)
        }
        var extent = Extent(fileLength: bytes.count)
        var failure: DecodeFailure?
        let walk = RecordFrame.walk(bytes, from: FileHeader.length) { kind, payload, _ in
            guard kind == RecordFrame.Kind.seriesEntry.rawValue, failure == nil else { return }
            do {
                visit(try decodeEntry(payload))
            } catch {
                failure = (error as? DecodeFailure) ?? DecodeFailure("undecodable series entry")
            }
        }
        if let failure { throw StoreError.corrupt("series index entry: \(failure.description)", path: path) }
        extent.validEnd = walk.validEnd
        extent.stop = walk.stop
        return extent
    }
}
