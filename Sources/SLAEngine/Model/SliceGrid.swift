/// The time slices a period is cut into: `count` slices of `sliceMillis` each, the first starting at
/// `startMillis` (inclusive). Slice `i` covers `[startMillis + i·sliceMillis, startMillis + (i+1)·sliceMillis)`.
///
/// Every series of one computation shares one grid, so slice `i` of one series and slice `i` of
/// another are the same minutes (what the multi-vantage quorum compares).
public struct SliceGrid: Sendable, Hashable {
    /// The start of slice 0, ms since the Unix epoch.
    public var startMillis: Int64
    /// The width of every slice, ms (default one minute).
    public var sliceMillis: Int64
    /// How many slices.
    public var count: Int

    /// Creates a grid; `sliceMillis` must be positive and `count` non-negative.
    public init(startMillis: Int64, sliceMillis: Int64 = 60_000, count: Int) {
        precondition(sliceMillis > 0 && count >= 0, "a grid needs a positive slice width and a count ≥ 0")
        self.startMillis = startMillis
        self.sliceMillis = sliceMillis
        self.count = count
    }

    /// The grid covering `[fromMillis, toMillis)`; a last partial slice counts as a whole slice.
    public init(fromMillis: Int64, toMillis: Int64, sliceMillis: Int64 = 60_000) {
        let span = Swift.max(0, toMillis - fromMillis)
        self.init(startMillis: fromMillis, sliceMillis: sliceMillis, count: Int((span + sliceMillis - 1) / sliceMillis))
    }

    /// The end of the last slice (exclusive), ms.
    public var endMillis: Int64 { startMillis + Int64(count) * sliceMillis }

    /// The slice holding the instant `millis`, or `nil` when it is outside the grid.
    @inline(__always)
    public func slice(containing millis: Int64) -> Int? {
        guard millis >= startMillis else { return nil }
        let index = (millis - startMillis) / sliceMillis
        return index < Int64(count) ? Int(index) : nil
    }

    /// The start of slice `index`, ms.
    @inline(__always)
    public func startMillis(ofSlice index: Int) -> Int64 { startMillis + Int64(index) * sliceMillis }
}
