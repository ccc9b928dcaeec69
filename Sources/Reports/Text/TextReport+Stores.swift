import SLAEngine
import WatchCore

extension TextReport {
    /// The store inventory of a multi-vantage report: one line per store with its vantage, series,
    /// results, first and last result and coverage, the path last since it may be long. Nothing for
    /// a report over one store.
    func storeInventory() -> [String] {
        guard !stores.isEmpty else { return [] }
        let widths = [18, 6, 9, 11, 11, 8]
        var lines = ["", "Stores (\(stores.count))"]
        lines.append(Self.pad(["  VANTAGE", "SERIES", "RESULTS", "FIRST", "LAST", "COVERAGE", "PATH"], widths))
        for store in stores {
            lines.append(Self.pad([
                "  " + (store.vantages.isEmpty ? "-" : store.vantages.joined(separator: ",")), "\(store.series)",
                "\(store.results)", store.firstResult.map(storeTime) ?? "-", store.lastResult.map(storeTime) ?? "-",
                ReportFormatting.percent(result.coverage(of: store), digits: 1), store.path,
            ], widths))
        }
        return lines
    }

    /// `02-05 01:14` in the report's timezone.
    private func storeTime(_ timestamp: Timestamp) -> String {
        String(ReportFormatting.local(timestamp, timeZone: result.period.timeZone).dropFirst(5))
    }
}
