import Synchronization
import WatchCore

/// The series the exposition shows, in the order they were first recorded, with an index by key.
///
/// Each series lives in its own ``SeriesCell`` with its own lock, so the registry's lock covers only
/// the lookup: a render copies the list of cells (pointers) under it, then copies each series under
/// that series' lock, one at a time. No `record` waits for more than one series' copy, however many
/// series there are (with one array of values, the first `record` after a render started paid a
/// copy-on-write of the whole array: ~100 ms at 100,000 series).
struct SeriesRegistry: Sendable {
    private(set) var cells: [SeriesCell] = []
    private var positions: [SeriesKey: Int] = [:]

    /// The cell of `key`, made by `makeCell` on first sight.
    mutating func cell(for key: SeriesKey, makeCell: () -> SeriesCell) -> SeriesCell {
        if let position = positions[key] { return cells[position] }
        let cell = makeCell()
        positions[key] = cells.count
        cells.append(cell)
        return cell
    }

    mutating func retainOnly(_ keys: Set<SeriesKey>) {
        let before = cells.count
        cells.removeAll { !keys.contains($0.key) }
        guard cells.count != before else { return }
        positions.removeAll(keepingCapacity: true)
        for (position, cell) in cells.enumerated() { positions[cell.key] = position }
    }
}

/// One series' metrics behind their own lock.
final class SeriesCell: Sendable {
    let key: SeriesKey
    let metrics: Mutex<SeriesMetrics>

    init(key: SeriesKey, _ metrics: SeriesMetrics) {
        self.key = key
        self.metrics = Mutex(metrics)
    }
}
