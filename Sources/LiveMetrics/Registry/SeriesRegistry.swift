import Synchronization
import WatchCore

/// The series the exposition shows, in the order they were first recorded, with an index by series
/// number (the store's series id: 8 bytes a series to hash, where a `SeriesKey` took 40).
///
/// Each series lives in its own ``SeriesCell`` with its own lock, so the registry's lock covers only
/// the lookup: a render copies the list of cells (pointers) under it, then copies each series under
/// that series' lock, one at a time. No `record` waits for more than one series' copy, however many
/// series there are (with one array of values, the first `record` after a render started paid a
/// copy-on-write of the whole array: ~100 ms at 100,000 series).
struct SeriesRegistry: Sendable {
    private(set) var cells: [SeriesCell] = []
    private var positions: [UInt32: Int32] = [:]

    /// The cell of series `number`, made by `makeCell` on first sight.
    mutating func cell(for number: UInt32, makeCell: () -> SeriesCell) -> SeriesCell {
        if let position = positions[number] { return cells[Int(position)] }
        let cell = makeCell()
        positions[number] = Int32(cells.count)
        cells.append(cell)
        return cell
    }

    mutating func retainOnly(where keeps: (UInt32) -> Bool) {
        let before = cells.count
        cells.removeAll { !keeps($0.number) }
        guard cells.count != before else { return }
        positions.removeAll(keepingCapacity: true)
        for (position, cell) in cells.enumerated() { positions[cell.number] = Int32(position) }
    }
}

/// One series' metrics behind their own lock.
final class SeriesCell: Sendable {
    let number: UInt32
    let metrics: Mutex<SeriesMetrics>

    init(number: UInt32, _ metrics: SeriesMetrics) {
        self.number = number
        self.metrics = Mutex(metrics)
    }
}
