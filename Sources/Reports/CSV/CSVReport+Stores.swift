import SLAEngine

extension CSVReport {
    /// One row per store read: path, vantages (`;`-separated), series, results, first and last
    /// result, and the coverage of its vantages in the period.
    func stores(into writer: inout CSVWriter) {
        writer.append(["path", "vantages", "series", "results", "first_result", "last_result", "coverage"])
        for store in stores {
            writer.append([
                store.path, store.vantages.joined(separator: ";"), "\(store.series)", "\(store.results)",
                store.firstResult.map { "\($0)" } ?? "", store.lastResult.map { "\($0)" } ?? "",
                result.coverage(of: store).map { "\($0)" } ?? "",
            ])
        }
    }
}
