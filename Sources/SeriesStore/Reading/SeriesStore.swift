import WatchCore

/// Whole-store operations: statistics, verification and retention. Each is what a CLI verb
/// (`store stats`, `store verify`, retention) wraps.
public enum SeriesStore {
    /// Counts of a store's contents.
    public struct Statistics: Sendable, Hashable {
        /// Registered series.
        public var series = 0
        /// Results in sealed files.
        public var sealedResults = 0
        /// Results flushed to active segments.
        public var activeResults = 0
        /// Sealed files.
        public var sealedSegments = 0
        /// Active segment files.
        public var activeSegments = 0
        /// Bytes in sealed files.
        public var sealedBytes = 0
        /// Bytes in active segments.
        public var activeBytes = 0
        /// Sealed blocks.
        public var blocks = 0

        /// All results.
        public var results: Int { sealedResults + activeResults }
        /// Sealed bytes per sealed result (headers, indexes and sketches included).
        public var sealedBytesPerResult: Double { sealedResults == 0 ? 0 : Double(sealedBytes) / Double(sealedResults) }
    }

    /// Counts series, results, files and bytes (reads sealed indexes and walks active segments).
    public static func statistics(directory: String) throws -> Statistics {
        let reader = try StoreReader(directory: directory)
        var statistics = Statistics(series: reader.series.count)
        for segment in try reader.segments() {
            if segment.isSealed {
                guard let sealed = try? SealedSegmentReader(path: segment.path) else { continue }
                statistics.sealedSegments += 1
                statistics.sealedBytes += sealed.bytes.count
                statistics.blocks += sealed.blocks.count
                statistics.sealedResults += sealed.blocks.reduce(0) { $0 + $1.count }
            } else {
                guard let outcome = try? ActiveSegmentReader.read(path: segment.path, visit: { _ in }) else { continue }
                statistics.activeSegments += 1
                statistics.activeBytes += outcome.fileLength
                statistics.activeResults += outcome.records
            }
        }
        return statistics
    }

    /// Checks every CRC of every file (headers, record frames, block headers and payloads, indexes)
    /// and decodes every block and record.
    ///
    /// - Returns: the damage found, empty for a healthy store. A torn tail of the newest active
    ///   segment while a writer runs shows as `recordFrame` damage at its end.
    public static func verify(directory: String) throws(StoreError) -> [StoreDamage] {
        let layout = StoreLayout(directory: directory)
        var damages: [StoreDamage] = []
        let indexPath = layout.seriesIndexPath
        if FileSystem.exists(indexPath) {
            do {
                let bytes = try StoreFile(path: indexPath, mode: .readOnly).readAll()
                let extent = try bytes.withRawBytes { (raw) throws(StoreError) in try SeriesIndexFile.walk(raw, path: indexPath) }
                if let stop = extent.stop {
                    damages.append(StoreDamage(path: indexPath, kind: .recordFrame, offset: extent.validEnd,
                                               detail: "\(stop.humanDescription); \(extent.fileLength - extent.validEnd) bytes unreadable"))
                }
            } catch {
                damages.append(StoreDamage(path: indexPath, kind: .fileHeader, offset: 0, detail: error.detail))
            }
        }
        var block = DecodedBlock()
        for segment in try layout.segments() {
            if segment.isSealed {
                let sealed: SealedSegmentReader
                do {
                    sealed = try SealedSegmentReader(path: segment.path)
                } catch {
                    if !error.isFileNotFound {
                        damages.append(StoreDamage(path: segment.path, kind: .unreadable, offset: 0, detail: error.detail))
                    }
                    continue
                }
                damages += sealed.damages
                for summary in sealed.blocks {
                    do {
                        try sealed.decode(summary, into: &block)
                    } catch {
                        damages.append(sealed.damage(summary, error))
                    }
                }
            } else {
                do {
                    damages += try ActiveSegmentReader.read(path: segment.path, visit: { _ in }).damages
                } catch let error as StoreError {
                    if !error.isFileNotFound {
                        damages.append(StoreDamage(path: segment.path, kind: .unreadable, offset: 0, detail: error.detail))
                    }
                } catch {}
            }
        }
        return damages
    }

    /// Deletes sealed files whose every result started before `cutoffMillis`. Active segments are
    /// never deleted (they are sealed first).
    ///
    /// - Returns: the paths deleted.
    @discardableResult
    public static func applyRetention(directory: String, olderThanMillis cutoffMillis: Int64) throws(StoreError) -> [String] {
        let reader = try StoreReader(directory: directory)
        var deleted: [String] = []
        for segment in try reader.segments() where segment.isSealed {
            guard let sealed = try? SealedSegmentReader(path: segment.path), sealed.summariesFromIndex,
                  !sealed.blocks.isEmpty || sealed.damages.isEmpty
            else { continue }
            let newest = sealed.blocks.map(\.maxStartMillis).max() ?? .min
            if newest < cutoffMillis {
                try FileSystem.remove(segment.path)
                deleted.append(segment.path)
            }
        }
        if !deleted.isEmpty { try FileSystem.syncDirectory(directory) }
        return deleted
    }
}
