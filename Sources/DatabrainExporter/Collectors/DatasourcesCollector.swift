extension CollectorName {
    static let datasources = CollectorName(declaring: "datasources")
}

/// `datasources`: `GET /api/v2/datasource` with the target's token. The required collector: its
/// state is `databrain_up`, it runs first and cannot be turned off; the datamarts collector
/// compares each datamart's datasource with the names it listed in the same poll.
enum DatasourcesCollector {
    static let series = NameListSeries(count: CountGauge(MetricCatalog.datasources), info: Family1(MetricCatalog.datasourceInfo),
                                       changes: ChangeCounter(MetricCatalog.datasourceChanges))

    /// The names a poll's listing of this collector holds, or nil when it did not succeed.
    static func names(in poll: PollContext) -> Set<String>? {
        poll.listings[.datasources].map { $0.identities(of: series.changes) }
    }
}

extension CollectorDefinition {
    static let datasources = CollectorDefinition(
        name: .datasources, required: true,
        help: "GET /api/v2/datasource: the datasource list databrain_up reports (it cannot be turned off).",
        series: DatasourcesCollector.series.declaration
    ) { context in
        ListCollector(endpoint: .datasources, settings: context.fetch) { names, _ in DatasourcesCollector.series.listing(names) }
    }
}
