import WatchCore

extension Shard {
    /// Whether this shard probes `series`.
    ///
    /// The identity hashed is `target/family`, the series key without its vantage: the shards of one
    /// vantage share its name, and an assignment that does not depend on the name survives renaming
    /// a vantage.
    public func owns(_ series: SeriesKey) -> Bool {
        owns(Self.identity(of: series))
    }

    /// The stable identity of `series` that sharding hashes, `target/family`.
    public static func identity(of series: SeriesKey) -> String {
        "\(series.target.rawValue)/\(series.family.rawValue)"
    }
}
