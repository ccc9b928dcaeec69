import Foundation
import Testing
import WatchCore
@testable import SeriesStore

/// The writer's key table can be let go between registrations (a daemon registers at start-up and
/// on reload only) and is read back from the index when registering again.
struct SeriesLookupTests {
    private func key(_ target: String) -> SeriesKey { SeriesKey(target: TargetID(target), vantage: "v1", family: .v4) }

    private func indexSize(_ directory: TemporaryDirectory) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: directory.path + "/series.index")[.size] as? Int) ?? -1
    }

    @Test func registeringAfterReleasingTheLookupKeepsEveryIDAndWritesOnlyWhatChanged() throws {
        let directory = TemporaryDirectory("lookup")
        defer { directory.remove() }
        let writer = try StoreWriter(directory: directory.path, options: testOptions())
        let series = (0..<200).map { (key: key("t\($0)"), metadata: SeriesMetadata(provider: "p\($0 % 7)", kind: .dns)) }
        let ids = try writer.register(series)
        writer.releaseSeriesLookup()
        let sizeBefore = indexSize(directory)

        // The same series again: the same ids, and not one byte appended to the index.
        #expect(try writer.register(series) == ids)
        #expect(indexSize(directory) == sizeBefore)

        writer.releaseSeriesLookup()
        var changed = series
        changed[17].metadata.labels = ["tier": "gold"]
        changed.append((key("new"), SeriesMetadata()))
        let again = try writer.register(changed)
        #expect(Array(again.prefix(200)) == ids)
        #expect(again[200] == SeriesID(200))
        #expect(writer.seriesCount == 201)
        #expect(indexSize(directory) > sizeBefore)
        try writer.close()

        // Only the changed metadata and the new series were recorded, and they are what a reader sees.
        let reader = try StoreReader(directory: directory.path)
        #expect(reader.series.count == 201)
        #expect(reader.series[ids[17]]?.metadata.labels == ["tier": "gold"])
        #expect(reader.series[ids[18]]?.metadata.provider == "p4")
    }

    @Test func metadataDigestsTellEveryFieldApartAndIgnoreLabelOrder() {
        let base = SeriesMetadata(provider: "viettel", service: "dns", kind: .dns, region: "hanoi", labels: ["a": "1", "b": "2"])
        var variants: [SeriesMetadata] = []
        for change in 0..<6 {
            var variant = base
            switch change {
            case 0: variant.provider = "vnpt"
            case 1: variant.service = "portal"
            case 2: variant.kind = .http
            case 3: variant.region = "hcm"
            case 4: variant.labels["b"] = "3"
            default: variant.labels["c"] = ""
            }
            variants.append(variant)
        }
        let digest = SeriesIndexFile.metadataDigest(base)
        for variant in variants { #expect(SeriesIndexFile.metadataDigest(variant) != digest, "\(variant)") }
        var reordered = SeriesMetadata(provider: "viettel", service: "dns", kind: .dns, region: "hanoi")
        reordered.labels["b"] = "2"
        reordered.labels["a"] = "1"
        #expect(SeriesIndexFile.metadataDigest(reordered) == digest)
    }

    @Test func anIndexEntryThatSkipsIDsIsReportedAsCorruptNotAllocated() throws {
        let directory = TemporaryDirectory("skip")
        defer { directory.remove() }
        do {
            let writer = try StoreWriter(directory: directory.path, options: testOptions())
            _ = try writer.register(key("first"))
            try writer.close()
        }
        // A well-framed entry whose id no writer handed out: 4 billion would size a table by it.
        var bytes = ByteWriter()
        SeriesIndexFile.encodeEntry(SeriesEntry(id: 4_000_000_000, key: key("far"), metadata: SeriesMetadata()), into: &bytes)
        let handle = try #require(FileHandle(forWritingAtPath: directory.path + "/series.index"))
        handle.seekToEndOfFile()
        handle.write(Data(bytes.bytes))
        try handle.close()

        #expect {
            _ = try StoreWriter(directory: directory.path, options: testOptions())
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.shortDescription == "corrupt" && error.detail.contains("4000000000")
                && (error.path ?? "").hasSuffix("series.index")
        }
    }
}
