extension SliceCounts {
    /// Adds the counts of `other`, which must be on the same grid (the same series read from two
    /// stores, e.g. before and after a move of the data directory).
    public mutating func merge(_ other: SliceCounts) {
        precondition(grid == other.grid, "slice counts merge only on the same grid")
        for slice in probes.indices {
            probes[slice] = probes[slice].addingReportingOverflow(other.probes[slice]).overflow
                ? .max : probes[slice] + other.probes[slice]
            failures[slice] = failures[slice].addingReportingOverflow(other.failures[slice]).overflow
                ? .max : failures[slice] + other.failures[slice]
        }
    }
}
