import WatchCore

/// The maintenance occurrences overlapping a period, each judged on time or late, and applied to
/// the units in their scope.
struct MaintenancePlan {
    struct Occurrence {
        var window: MaintenanceWindow
        var start: Timestamp
        var end: Timestamp
        var late: Bool
        /// Slices `first ..< end` fully inside the occurrence.
        var slices: Range<Int>
        var units = 0
        var unitSlices = 0
        var downSlices = 0
    }

    private(set) var occurrences: [Occurrence] = []

    init(windows: [MaintenanceWindow], grid: SliceGrid, leadTime: Duration) throws(SLAComputationError) {
        let from = Timestamp(millisecondsSinceEpoch: grid.startMillis)
        let to = Timestamp(millisecondsSinceEpoch: grid.endMillis)
        for window in windows {
            for occurrence in try window.occurrences(overlapping: from, to) {
                let late = window.declaredAt.duration(to: occurrence.start) < leadTime
                // Only slices wholly inside: a window never excuses time it did not declare.
                let startOffset = occurrence.start.millisecondsSinceEpoch - grid.startMillis
                let endOffset = occurrence.end.millisecondsSinceEpoch - grid.startMillis
                let first = startOffset <= 0 ? 0 : Int((startOffset + grid.sliceMillis - 1) / grid.sliceMillis)
                let end = Int(Swift.min(Int64(grid.count), Swift.max(0, endOffset) / grid.sliceMillis))
                occurrences.append(Occurrence(
                    window: window, start: occurrence.start, end: occurrence.end, late: late,
                    slices: first..<Swift.max(first, end)))
            }
        }
        occurrences.sort { ($0.start, $0.window.id) < ($1.start, $1.window.id) }
    }

    /// Marks the unit's excused slices MAINTENANCE and its late-maintenance slices, and counts the
    /// unit into each occurrence covering it.
    mutating func apply(to unit: inout AccountingUnit) {
        unit.accounted = unit.measured
        unit.lateMaintenance = Array(repeating: false, count: unit.measured.count)
        for index in occurrences.indices {
            let occurrence = occurrences[index]
            guard occurrence.window.scope.covers(provider: unit.provider, service: unit.service, target: unit.target)
            else { continue }
            occurrences[index].units += 1
            occurrences[index].unitSlices += occurrence.slices.count
            for slice in occurrence.slices {
                if unit.measured[slice] == .down { occurrences[index].downSlices += 1 }
                if occurrence.late {
                    unit.lateMaintenance[slice] = true
                } else {
                    unit.accounted[slice] = .maintenance
                }
            }
        }
    }

    /// The maintenance log.
    var log: [MaintenanceLogEntry] {
        occurrences.map { occurrence in
            MaintenanceLogEntry(
                windowID: occurrence.window.id, declaredBy: occurrence.window.declaredBy,
                reason: occurrence.window.reason, declaredAt: occurrence.window.declaredAt, start: occurrence.start,
                end: occurrence.end, leadTime: occurrence.window.declaredAt.duration(to: occurrence.start),
                late: occurrence.late, units: occurrence.units, slices: occurrence.unitSlices,
                downSlices: occurrence.downSlices)
        }
    }
}

extension SliceTally {
    /// The tally of one unit's measured and accounted states.
    init(measured: [SliceState], accounted: [SliceState], lateMaintenance: [Bool]) {
        self.init()
        total = measured.count
        for slice in measured.indices {
            let excused = accounted[slice] == .maintenance
            if excused { maintenance += 1 }
            switch measured[slice] {
            case .up:
                up += 1
                if excused { upInMaintenance += 1 }
            case .down:
                down += 1
                if excused { downInMaintenance += 1 }
                if lateMaintenance[slice] { downInLateMaintenance += 1 }
            case .unknown, .maintenance:
                unknown += 1
            }
        }
    }
}
