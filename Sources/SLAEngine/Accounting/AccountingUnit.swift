import WatchCore

/// What availability and incidents are counted for: one target over one IP family, its vantages
/// combined by the quorum; or one series, when figures are grouped by vantage.
struct AccountingUnit {
    var target: TargetID
    var family: IPFamily
    /// Set when the unit is one series (grouping by vantage).
    var vantage: String?
    var provider: String
    var service: String
    var region: String
    /// Indices of its series in the input.
    var members: [Int]
    /// Slice states before maintenance.
    var measured: [SliceState]
    /// Slice states with excusing maintenance applied (MAINTENANCE).
    var accounted: [SliceState] = []
    /// Slices inside a late maintenance occurrence.
    var lateMaintenance: [Bool] = []
    var slices = SliceTally()
    var incidents: [Int] = []
    var flapping: [FlappingDetector.Span] = []

    func value(of dimension: GroupingDimension) -> String {
        switch dimension {
        case .provider: provider
        case .service: service
        case .target: target.rawValue
        case .vantage: vantage ?? ""
        case .region: region
        }
    }
}
