/// The names of a store's files in its directory:
/// `series.index`, `<sequence as 16 hex digits>.wal` (active segments) and `<sequence>.sealed`.
struct StoreLayout: Sendable {
    let directory: String

    static let seriesIndexName = "series.index"
    static let activeSuffix = ".wal"
    static let sealedSuffix = ".sealed"
    static let temporarySuffix = ".tmp"

    var seriesIndexPath: String { "\(directory)/\(Self.seriesIndexName)" }

    func activePath(_ sequence: UInt64) -> String { "\(directory)/\(Self.name(sequence))\(Self.activeSuffix)" }
    func sealedPath(_ sequence: UInt64) -> String { "\(directory)/\(Self.name(sequence))\(Self.sealedSuffix)" }
    func temporaryPath(_ sequence: UInt64) -> String {
        "\(directory)/\(Self.name(sequence))\(Self.sealedSuffix)\(Self.temporarySuffix)"
    }

    static func name(_ sequence: UInt64) -> String {
        let hex = String(sequence, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    /// The segment files present, by sequence.
    struct Listing {
        var active: [UInt64] = []
        var sealed: [UInt64] = []
        var temporary: [String] = []
    }

    func list() throws(StoreError) -> Listing {
        var listing = Listing()
        for name in try FileSystem.listDirectory(directory) {
            if name.hasSuffix(Self.temporarySuffix) {
                listing.temporary.append("\(directory)/\(name)")
            } else if name.hasSuffix(Self.activeSuffix), let sequence = Self.sequence(name, Self.activeSuffix) {
                listing.active.append(sequence)
            } else if name.hasSuffix(Self.sealedSuffix), let sequence = Self.sequence(name, Self.sealedSuffix) {
                listing.sealed.append(sequence)
            }
        }
        listing.active.sort()
        listing.sealed.sort()
        return listing
    }

    private static func sequence(_ name: String, _ suffix: String) -> UInt64? {
        let stem = name.dropLast(suffix.count)
        guard stem.count == 16 else { return nil }
        return UInt64(stem, radix: 16)
    }
}

/// One segment of a store as a reader sees it.
public struct StoreSegment: Sendable, Hashable {
    /// The segment's sequence number.
    public var sequence: UInt64
    /// Whether it is sealed (else still an active segment).
    public var isSealed: Bool
    /// Its file.
    public var path: String
}

extension StoreLayout {
    /// The segments present now, by sequence; a segment present both ways (a seal that did not
    /// finish removing its source) counts as sealed.
    func segments() throws(StoreError) -> [StoreSegment] {
        let listing = try list()
        var segments = listing.sealed.map { StoreSegment(sequence: $0, isSealed: true, path: sealedPath($0)) }
        let sealed = Set(listing.sealed)
        for sequence in listing.active where !sealed.contains(sequence) {
            segments.append(StoreSegment(sequence: sequence, isSealed: false, path: activePath(sequence)))
        }
        return segments.sorted { $0.sequence < $1.sequence }
    }
}
