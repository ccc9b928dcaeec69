import SeriesStore

/// What a scan read and how: the figures are computed the same way either path, but a reader of a
/// benchmark must know whether precomputed rollups answered.
public struct StoreScanReport: Sendable, Hashable {
    /// Sealed segments answered from their rollup files.
    public var segmentsFromRollups = 0
    /// Sealed segments left out because their rollup shows no result in range.
    public var segmentsOutsideRange = 0
    /// Sealed segments whose results were decoded.
    public var sealedSegmentsDecoded = 0
    /// Active segments read.
    public var activeSegmentsRead = 0
    /// Rollup files built (and written) during this scan.
    public var rollupsBuilt = 0
    /// Results decoded from raw blocks and records (building rollups included).
    public var resultsDecoded = 0
    /// Damaged blocks, records or files stepped over; their results are missing from the figures.
    public var damages: [StoreDamage] = []
    /// Rollup files that could not be used (damaged, unwritable) and were replaced by a raw scan.
    public var rollupProblems: [String] = []

    /// Creates an empty report.
    public init() {}

    mutating func absorb(_ other: StoreScanReport) {
        segmentsFromRollups += other.segmentsFromRollups
        segmentsOutsideRange += other.segmentsOutsideRange
        sealedSegmentsDecoded += other.sealedSegmentsDecoded
        activeSegmentsRead += other.activeSegmentsRead
        rollupsBuilt += other.rollupsBuilt
        resultsDecoded += other.resultsDecoded
        damages += other.damages
        rollupProblems += other.rollupProblems
    }
}
