import SeriesStore
import WatchCore

/// One series the daemon probes: its identity in the store and where its target is in the catalog.
///
/// Small on purpose (a 100,000-target vantage holds one per series): the target itself stays in the
/// configuration's array, shared, and is looked up with ``SeriesCatalog/target(of:)``.
public struct SeriesPlan: Sendable, Hashable {
    /// The series' identity in the store (controls under their reserved target id).
    public var key: SeriesKey
    /// The series' number in the store, which its results carry.
    public var id: SeriesID
    /// A provider's target or one of the vantage's controls.
    public var role: SeriesRole
    /// The target's index in ``SeriesCatalog/targets`` or, for a control, in ``SeriesCatalog/controlTargets``.
    public var targetIndex: Int
}
