/// When an outage becomes an incident and when it ends: hysteresis over slice states.
public struct IncidentRule: Sendable, Hashable {
    /// Consecutive DOWN slices that open an incident (K, default 3).
    public var openAfterDownSlices: Int
    /// Consecutive UP slices that close it (M, default 5).
    public var closeAfterUpSlices: Int

    /// Creates a rule; both counts are at least 1.
    public init(openAfterDownSlices: Int = 3, closeAfterUpSlices: Int = 5) {
        precondition(openAfterDownSlices >= 1 && closeAfterUpSlices >= 1, "K and M are at least 1")
        self.openAfterDownSlices = openAfterDownSlices
        self.closeAfterUpSlices = closeAfterUpSlices
    }
}

/// The slices one incident covers: from its first DOWN slice to the slice after its last DOWN slice
/// (the first of the M UP slices that closed it), or still open at the end of the grid.
public struct IncidentSpan: Sendable, Hashable {
    /// The first DOWN slice of the run that opened the incident.
    public var firstSlice: Int
    /// The slice after the last DOWN slice, when M UP slices followed; `nil` while still open.
    public var endSlice: Int?

    /// Creates a span.
    public init(firstSlice: Int, endSlice: Int?) {
        self.firstSlice = firstSlice
        self.endSlice = endSlice
    }
}
