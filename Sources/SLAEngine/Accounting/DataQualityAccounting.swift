import WatchCore

/// Gaps, unhealthy time and the vantage inventory.
enum DataQualityAccounting {
    static func facts(
        _ input: AccountingInput, _ states: [[SliceState]], _ unhealthy: [String: [Bool]], _ grid: SliceGrid,
        minimumGap: Int
    ) -> DataQuality {
        var quality = DataQuality()
        func time(_ slice: Int) -> Timestamp { Timestamp(millisecondsSinceEpoch: grid.startMillis(ofSlice: slice)) }
        for history in input.series {
            let mask = unhealthy[history.descriptor.key.vantage]
            for run in runs(count: grid.count, where: { history.counts.probes[$0] == 0 && mask?[$0] != true })
            where run.count >= minimumGap {
                quality.gaps.append(SeriesGap(
                    series: history.descriptor.key, start: time(run.lowerBound), end: time(run.upperBound),
                    slices: run.count))
            }
        }
        quality.gaps.sort { ($0.start, $0.series) < ($1.start, $1.series) }
        for vantage in unhealthy.keys.sorted() {
            let mask = unhealthy[vantage]!
            for run in runs(count: grid.count, where: { mask[$0] }) {
                quality.unhealthyPeriods.append(UnhealthyPeriod(
                    vantage: vantage, start: time(run.lowerBound), end: time(run.upperBound)))
            }
        }
        return quality
    }

    static func vantages(
        _ input: AccountingInput, _ states: [[SliceState]], _ unhealthy: [String: [Bool]], _ grid: SliceGrid
    ) -> [VantageFigures] {
        let ids = Set(input.series.map(\.descriptor.key.vantage)).union(input.health.keys)
        return ids.sorted().map { id in
            let members = input.series.indices.filter { input.series[$0].descriptor.key.vantage == id }
            let mask = unhealthy[id]
            let unhealthySlices = mask?.filter { $0 }.count ?? 0
            var known = 0, empty = 0, probes = 0
            for member in members {
                known += states[member].filter { $0 == .up || $0 == .down }.count
                for slice in 0..<grid.count {
                    let count = input.series[member].counts.probes[slice]
                    probes += Int(count)
                    if count == 0, mask?[slice] != true { empty += 1 }
                }
            }
            let total = members.count * grid.count
            return VantageFigures(
                id: id, series: members.count, probes: probes, coverage: total > 0 ? Double(known) / Double(total) : 0,
                unhealthySlices: unhealthySlices, unhealthyTime: .milliseconds(Int64(unhealthySlices) * grid.sliceMillis),
                emptySeriesSlices: empty, reportsHealth: input.health[id] != nil)
        }
    }

    /// Maximal runs of consecutive indices in `0 ..< count` satisfying `predicate`.
    static func runs(count: Int, where predicate: (Int) -> Bool) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start: Int?
        for index in 0..<count {
            if predicate(index) {
                if start == nil { start = index }
            } else if let first = start {
                runs.append(first..<index)
                start = nil
            }
        }
        if let first = start { runs.append(first..<count) }
        return runs
    }
}
