import Foundation
@testable import SLAEngine
import SeriesStore
import WatchCore

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct ScanTemporaryDirectory {
    let path: String

    init(_ label: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("sla-scan-\(label)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func files(withSuffix suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
            .filter { $0.hasSuffix(suffix) }.sorted().map { "\(path)/\($0)" }
    }
}

/// A small store with what a scan must get right: several sealed segments, closed-but-unsealed and
/// active ones, gaps (UNKNOWN slices), outages long enough to be incidents, a flapping target, one
/// target seen from two vantages, a control series to leave out, latencies of 0 and of the
/// maximum, results out of order, and results before and after the queried range.
enum ScanFixture {
    /// 2027-02-01T00:00Z.
    static let startMillis: Int64 = 1_801_440_000_000
    static let days = 2
    static let slots = days * 2_880

    static func series() -> [(key: SeriesKey, metadata: SeriesMetadata)] {
        var series: [(key: SeriesKey, metadata: SeriesMetadata)] = (0..<6).map { index in
            (SeriesKey(target: TargetID("t\(index)"), vantage: "hanoi", family: .v4),
             SeriesMetadata(provider: index % 2 == 0 ? "viettel" : "vnpt", service: index < 3 ? "dns" : "portal",
                            kind: index < 3 ? .dns : .http, region: index < 4 ? "north" : "south"))
        }
        series.append((SeriesKey(target: "t1", vantage: "saigon", family: .v4),
                       SeriesMetadata(provider: "vnpt", service: "dns", kind: .dns, region: "south")))
        series.append((SeriesKey(target: SeriesRole.controlTarget("anycast"), vantage: "hanoi", family: .v4),
                       SeriesMetadata(provider: "", service: "control", kind: .dns, region: "north",
                                      labels: [SeriesRole.labelName: SeriesRole.control.rawValue])))
        return series
    }

    /// Writes the store into `directory`; the last `activeHours` hours stay in active segments.
    static func write(into directory: String, activeHours: Int = 5, blockCapacity: Int = 256) throws {
        var options = StoreOptions()
        options.syncOnFlush = false
        options.sealsInBackground = false
        options.blockCapacity = blockCapacity
        options.maximumSegmentBytes = 192 << 10
        let writer = try StoreWriter(directory: directory, options: options)
        var ids: [SeriesID] = []
        for entry in series() { ids.append(try writer.register(entry.key, metadata: entry.metadata)) }
        var random = SplitMix64(seed: 42)
        var late: [StoredResult] = []
        let sealedSlots = slots - activeHours * 120
        for slot in 0..<slots {
            if slot == sealedSlots {
                try writer.sealActiveSegment()
                try writer.sealPendingSegments()
            }
            let scheduled = startMillis + Int64(slot) * 30_000
            for (index, id) in ids.enumerated() {
                // Gaps: t2 is silent for 25 minutes, every series misses a slot now and then.
                if index == 2, (1_000..<1_050).contains(slot) { continue }
                if random.next() % 97 == 0 { continue }
                var failed = random.next() % 40 == 0
                if index == 0, (600..<640).contains(slot) || (3_000..<3_012).contains(slot) { failed = true }
                if index == 3, (2_000..<2_060).contains(slot) { failed = (slot / 4) % 3 != 0 }  // flapping
                if index == 1, (4_000..<4_020).contains(slot) { failed = true }  // seen from hanoi only
                let latency: UInt32 = switch random.next() % 500 {
                case 0: 0
                case 1: UInt32.max
                default: UInt32(1_000 + random.next() % UInt64(20_000 + index * 30_000))
                }
                let result = StoredResult(
                    series: id, scheduledMillis: scheduled, startMillis: scheduled + Int64(random.next() % 2_500),
                    success: !failed, failure: failed ? .dnsTimeout : nil, code: failed ? nil : 0,
                    latencyMicros: failed ? 5_000_000 : latency)
                // Some results arrive late, after later slots (out of order in their block).
                if random.next() % 300 == 0 { late.append(result) } else { try writer.append(result) }
            }
            if slot % 50 == 49 {
                try writer.append(contentsOf: late)
                late.removeAll()
            }
        }
        try writer.append(contentsOf: late)
        if activeHours == 0 {
            try writer.sealActiveSegment()
            try writer.sealPendingSegments()
        }
        try writer.close()
    }

    // MARK: - The naive answer

    /// Rows computed result by result from `StoreReader.results`, with the contract's types only.
    static func naiveRows(_ directory: String, _ query: FigureQuery, policy: CorruptionPolicy = .fail) throws
        -> (rows: [FigureRow], incidents: [IncidentRecord])
    {
        let reader = try StoreReader(directory: directory)
        let grid = query.grid
        var results: [SeriesKey: [StoredResult]] = [:]
        var metadata: [SeriesKey: SeriesMetadata] = [:]
        for result in try reader.results(fromMillis: query.fromMillis, toMillis: query.toMillis, onCorruption: policy) {
            let entry = reader.series[result.series]!
            guard SeriesRole(labels: entry.metadata.labels) == .target,
                  query.targets?.contains(entry.key.target.rawValue) ?? true,
                  query.providers?.contains(entry.metadata.provider) ?? true else { continue }
            results[entry.key, default: []].append(result)
            metadata[entry.key] = entry.metadata
        }
        for entry in reader.series.values where SeriesRole(labels: entry.metadata.labels) == .target
            && (query.targets?.contains(entry.key.target.rawValue) ?? true)
            && (query.providers?.contains(entry.metadata.provider) ?? true) {
            metadata[entry.key] = entry.metadata
            if results[entry.key] == nil { results[entry.key] = [] }
        }
        var groups: [String: [Int64: FigureRow]] = [:]
        var incidents: [IncidentRecord] = []
        for key in results.keys.sorted() {
            var counts = SliceCounts(grid: grid)
            var sketches: [Int64: LatencySketch] = [:]
            var resultCounts: [Int64: Int] = [:]
            for result in results[key]! {
                counts.add(startMillis: result.startMillis, success: result.success)
                let slice = grid.slice(containing: result.startMillis)!
                let bucket = query.bucketing.key(of: grid.startMillis(ofSlice: slice))
                resultCounts[bucket, default: 0] += 1
                if result.success { sketches[bucket, default: LatencySketch()].add(Double(result.latencyMicros)) }
            }
            let states = (0..<grid.count).map { query.sliceRule.state(probes: counts.probes[$0], failures: counts.failures[$0]) }
            let group = groupName(key, metadata[key]!, query.grouping)
            for slice in 0..<grid.count {
                let bucket = query.bucketing.key(of: grid.startMillis(ofSlice: slice))
                var row = groups[group]?[bucket]
                    ?? FigureRow(group: group, bucketStartMillis: query.bucketing.startMillis(ofKey: bucket, fromMillis: query.fromMillis))
                switch states[slice] {
                case .up: row.upSlices += 1
                case .down: row.downSlices += 1
                case .unknown, .maintenance: row.unknownSlices += 1
                }
                groups[group, default: [:]][bucket] = row
            }
            for (bucket, count) in resultCounts { groups[group]![bucket]!.results += count }
            for (bucket, sketch) in sketches { groups[group]![bucket]!.latency.merge(sketch) }
            for span in IncidentDetector.incidents(in: states, rule: query.incidentRule) {
                incidents.append(IncidentRecord(target: key.target.rawValue, vantage: key.vantage, family: key.family,
                                                startMillis: grid.startMillis(ofSlice: span.firstSlice),
                                                endMillis: span.endSlice.map { grid.startMillis(ofSlice: $0) }))
            }
        }
        var rows: [FigureRow] = []
        for group in groups.keys.sorted() {
            let buckets = groups[group]!.keys.sorted().map { groups[group]![$0]! }
            rows += buckets
            if query.includesTotals, query.bucketing != .none {
                var total = FigureRow(group: group, bucketStartMillis: nil)
                for row in buckets { total.add(row) }
                rows.append(total)
            }
        }
        return (rows, incidents)
    }

    private static func groupName(_ key: SeriesKey, _ metadata: SeriesMetadata, _ grouping: FigureGrouping) -> String {
        switch grouping {
        case .target: key.target.rawValue
        case .provider: metadata.provider
        case .service: metadata.service
        case .vantage: key.vantage
        case .region: metadata.region
        case .series: key.description
        }
    }
}

/// Rows compared field by field (the sketch by its buckets, counts and extremes).
func sameRows(_ lhs: [FigureRow], _ rhs: [FigureRow]) -> Bool {
    lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { a, b in
        a.group == b.group && a.bucketStartMillis == b.bucketStartMillis && a.results == b.results
            && a.upSlices == b.upSlices && a.downSlices == b.downSlices && a.unknownSlices == b.unknownSlices
            && a.latency == b.latency
    }
}

/// The first difference between two row lists, for a failure message.
func firstDifference(_ lhs: [FigureRow], _ rhs: [FigureRow]) -> String {
    guard lhs.count == rhs.count else { return "\(lhs.count) rows against \(rhs.count)" }
    for (a, b) in zip(lhs, rhs) where !sameRows([a], [b]) {
        return "\(a.group)@\(a.bucketStartMillis ?? -1): results \(a.results)/\(b.results) up \(a.upSlices)/\(b.upSlices) down \(a.downSlices)/\(b.downSlices) unknown \(a.unknownSlices)/\(b.unknownSlices) latency n \(a.latency.count)/\(b.latency.count) sum \(a.latency.sum)/\(b.latency.sum)"
    }
    return "none"
}
