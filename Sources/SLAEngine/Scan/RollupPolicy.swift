/// Whether a scan may answer sealed segments from their rollup files.
public enum RollupPolicy: Sendable, Hashable {
    /// Decode every result in range (the rollup files are neither read nor written).
    case ignore
    /// Use rollups that exist and are current; decode the raw results of the other segments.
    case useExisting
    /// Use rollups, building (and writing beside the segment) the missing or stale ones first.
    case useAndBuild
}
