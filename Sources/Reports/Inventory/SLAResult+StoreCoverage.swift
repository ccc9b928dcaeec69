import SLAEngine

extension SLAResult {
    /// The coverage of the vantages `store` holds: the vantage's own coverage for a store of one
    /// vantage, weighted by series for a store of several; `nil` when none of them has figures
    /// (a store without target series in the period).
    func coverage(of store: StoreInventory) -> Double? {
        let figures = vantages.filter { store.vantages.contains($0.id) }
        let series = figures.reduce(0) { $0 + $1.series }
        guard series > 0 else { return nil }
        return figures.reduce(0.0) { $0 + Double($1.series) * $1.coverage } / Double(series)
    }
}
