/// How many probes of one series started in each slice of a grid, and how many of them failed: the
/// input of slice classification, built by one pass over the store.
///
/// A result is placed by its start time. Counts saturate at `UInt16.max` (a 1-minute slice probed
/// every second holds 60).
public struct SliceCounts: Sendable, Hashable {
    /// The slices counted.
    public var grid: SliceGrid
    /// Probes started in each slice.
    public var probes: [UInt16]
    /// Failed probes among them.
    public var failures: [UInt16]

    /// Creates counts of zero for every slice of `grid`.
    public init(grid: SliceGrid) {
        self.grid = grid
        probes = Array(repeating: 0, count: grid.count)
        failures = Array(repeating: 0, count: grid.count)
    }

    /// Counts one result starting at `startMillis`; results outside the grid are ignored.
    @inline(__always)
    public mutating func add(startMillis: Int64, success: Bool) {
        guard let slice = grid.slice(containing: startMillis) else { return }
        probes[slice] &+= probes[slice] == .max ? 0 : 1
        if !success { failures[slice] &+= failures[slice] == .max ? 0 : 1 }
    }
}
