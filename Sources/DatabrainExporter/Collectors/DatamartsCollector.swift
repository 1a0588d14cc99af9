extension CollectorName {
    static let datamarts = CollectorName(declaring: "datamarts")
}

/// `datamarts`: `GET /api/v2/data-app/datamarts?expandDetails=false` with the target's token.
/// `expandDetails=false` is not optional: expanded datamarts carry table schemas and custom-column
/// SQL, which a monitor must not pull. Each datamart names the datasource it is built on, which is
/// how an alert can say what a vanished datasource broke.
enum DatamartsCollector {
    static let count = CountGauge(MetricCatalog.datamarts)
    static let info = Family2(MetricCatalog.datamartInfo)
    static let datasourceMissing = Family2(MetricCatalog.datamartDatasourceMissing)
    static let changes = ChangeCounter(MetricCatalog.datamartChanges)

    /// The datamarts' rows. `databrain_datamart_datasource_missing` is computed against the
    /// datasource list of the same poll; without one (that fetch failed) each datamart keeps the
    /// value it had, and a datamart first seen then gets none until a poll has both lists. A
    /// datamart whose `companyIntegration` is null or absent has `datasource=""` and is missing.
    static func listing(_ datamarts: [Datamart], datasources: Set<String>?) -> CollectorListing {
        var byName: [String: Datamart] = [:]
        for datamart in datamarts { byName[datamart.name] = datamart }
        var listing = CollectorListing(count: byName.count)
        for datamart in byName.values {
            listing.add(info, datamart.name, datamart.datasource)
            // A datamart the answer built on no datasource misses one whatever the list says.
            let missing: Double? = datamart.datasource.isEmpty ? 1 : datasources.map { $0.contains(datamart.datasource) ? 0 : 1 }
            listing.add(datasourceMissing, datamart.name, datamart.datasource, value: missing)
            listing.identify(changes, datamart.name)
        }
        return listing
    }
}

extension CollectorDefinition {
    static let datamarts = CollectorDefinition(
        name: .datamarts,
        help: "GET /api/v2/data-app/datamarts?expandDetails=false: databrain_datamarts, databrain_datamart_info{datamart,datasource} and databrain_datamart_datasource_missing.",
        series: CollectorSeriesDeclaration(
            count: DatamartsCollector.count, families: [DatamartsCollector.info, DatamartsCollector.datasourceMissing], changes: [DatamartsCollector.changes]),
        hint: CollectorDefinition.predatesDataAppPaths
    ) { context in
        ListCollector(endpoint: .datamarts, settings: context.fetch) { marts, poll in
            DatamartsCollector.listing(marts, datasources: DatasourcesCollector.names(in: poll))
        }
    }
}
