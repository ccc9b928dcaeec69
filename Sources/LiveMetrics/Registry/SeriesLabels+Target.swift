import WatchCore

extension SeriesLabels {
    /// The labels of `series`, a series of the configured `target`.
    ///
    /// The target's `region` and free `labels` are not exported: they would add label names that
    /// differ between targets, and a scrape config's relabeling or a join can add them where wanted.
    public init(target: Target, series: SeriesKey) {
        self.init(target: target.id.rawValue, provider: target.provider, service: target.service,
                  kind: target.spec.kind, ipFamily: series.family, vantage: series.vantage)
    }
}
