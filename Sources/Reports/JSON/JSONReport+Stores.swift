import Foundation
import SLAEngine

extension JSONReport {
    /// The `stores` array of a multi-vantage report.
    static func stores(_ stores: [StoreInventory], of result: SLAResult) -> [[String: Any]] {
        stores.map { store in
            [
                "path": store.path, "vantages": store.vantages, "series": store.series, "results": store.results,
                "first_result": store.firstResult.map { "\($0)" } ?? NSNull(),
                "last_result": store.lastResult.map { "\($0)" } ?? NSNull(),
                "coverage": result.coverage(of: store) ?? NSNull(),
            ]
        }
    }
}
