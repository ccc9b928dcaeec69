import SLAEngine

extension HTMLReport {
    /// The store inventory of a multi-vantage report, after the data-quality facts; nothing for a
    /// report over one store.
    func storeInventory() -> String {
        guard !stores.isEmpty else { return "" }
        var html = "<section>\n<h2>Stores read</h2>\n<p class=\"note\">One store per vantage (or per shard of one); "
            + "a target's slice combines the vantages by the quorum rule stated above.</p>\n"
        html += "<div class=\"table-wrap\"><table>\n<tr><th>Vantage</th><th>Store</th><th class=\"num\">Series</th>"
            + "<th class=\"num\">Results</th><th>First result</th><th>Last result</th><th class=\"num\">Coverage</th></tr>\n"
        for store in stores {
            html += "<tr><td>\(store.vantages.joined(separator: ", ").htmlEscaped)</td><td>\(store.path.htmlEscaped)</td>"
                + "<td class=\"num\">\(store.series)</td><td class=\"num\">\(store.results)</td>"
                + "<td>\((store.firstResult.map(local) ?? "–").htmlEscaped)</td>"
                + "<td>\((store.lastResult.map(local) ?? "–").htmlEscaped)</td>"
                + "<td class=\"num\">\(ReportFormatting.percent(result.coverage(of: store), digits: 1))</td></tr>\n"
        }
        return html + "</table></div>\n</section>\n"
    }
}
