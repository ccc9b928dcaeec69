/// The identity of one time series: one target, probed from one vantage, over one IP family.
///
/// This is the unit the store appends to and the SLA engine computes over. A target with
/// `ip_family: both` is two series; the same target probed from two vantages is two series as well,
/// and the multi-vantage quorum combines them later. The text form `target/vantage/family`
/// (``description``) is stable and safe in file names: ids only use `[a-z0-9._-]`.
public struct SeriesKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The target probed.
    public var target: TargetID
    /// The id of the vantage probing it (``Vantage/unnamedID`` when none is configured).
    public var vantage: String
    /// The IP family used.
    public var family: IPFamily

    /// Creates a key.
    public init(target: TargetID, vantage: String, family: IPFamily) {
        self.target = target
        self.vantage = vantage
        self.family = family
    }

    /// `target/vantage/family`, e.g. `viettel-dns-hn-1/hanoi-vnpt-1/v6`.
    public var description: String { "\(target.rawValue)/\(vantage)/\(family.rawValue)" }

    /// Orders by target, then vantage, then family.
    public static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        (lhs.target.rawValue, lhs.vantage, lhs.family.rawValue) < (rhs.target.rawValue, rhs.vantage, rhs.family.rawValue)
    }
}
