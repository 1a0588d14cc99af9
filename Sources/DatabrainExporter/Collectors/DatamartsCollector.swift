/// `datamarts`: `GET /api/v2/data-app/datamarts?expandDetails=false` with the target's token.
/// `expandDetails=false` is not optional: expanded datamarts carry table schemas and custom-column
/// SQL, which a monitor must not pull. Each datamart names the datasource it is built on, which is
/// how an alert can say what a vanished datasource broke.
extension ListCollector where Item == Datamart {
    static func datamarts(settings: FetchSettings) -> Self {
        ListCollector(.datamarts, endpoint: .datamarts, settings: settings) { marts, context in listing(marts, datasources: context.datasources) }
    }

    /// The datamarts' series. `databrain_datamart_datasource_missing` is computed against the
    /// datasource list of the same poll; without one (that fetch failed) each datamart keeps the
    /// value it had, and a datamart first seen then gets none until a poll has both lists. A
    /// datamart whose `companyIntegration` is null or absent has `datasource=""` and is missing.
    static func listing(_ datamarts: [Datamart], datasources: Set<String>?) -> InventoryListing {
        var byName: [String: Datamart] = [:]
        for datamart in datamarts { byName[datamart.name] = datamart }
        let info = byName.values.map { ObjectFamily.Row([$0.name, $0.datasource]) }
        let missing = byName.values.map { datamart in
            // A datamart the answer built on no datasource misses one whatever the list says.
            ObjectFamily.Row([datamart.name, datamart.datasource],
                             datamart.datasource.isEmpty ? 1 : datasources.map { $0.contains(datamart.datasource) ? 0 : 1 })
        }
        return InventoryListing(
            count: byName.count,
            rows: [MetricCatalog.datamartInfo.name: info, MetricCatalog.datamartDatasourceMissing.name: missing],
            identities: [MetricCatalog.datamartChanges.name: Set(byName.keys)])
    }
}
