/// `datasources`: `GET /api/v2/datasource` with the target's token. Its success is what
/// `databrain_up` reports, so it always runs, first, and cannot be turned off; the datamarts
/// collector compares each datamart's datasource with the names it listed in the same poll.
struct DatasourcesCollector: InventoryCollector {
    let name = CollectorName.datasources
    let fetcher: ListFetcher<String>

    init(settings: FetchSettings) {
        fetcher = ListFetcher(settings: settings, endpoint: .datasources)
    }

    func collect(transport: any HTTPTransport, token: String, context: PollContext, record: (RequestRecord) -> Void) async
        -> Result<InventoryListing, PollFailure> {
        await fetcher.fetchAll(transport: transport, token: token, record: record).map(Self.listing)
    }

    /// `databrain_datasources` and one `databrain_datasource_info{datasource}` per unique name.
    static func listing(_ names: [String]) -> InventoryListing {
        let unique = Set(names)
        return InventoryListing(
            count: unique.count,
            rows: [MetricCatalog.datasourceInfo.name: unique.map { ObjectFamily.Row([$0]) }],
            identities: [MetricCatalog.datasourceChanges.name: unique])
    }

    /// The names a listing of this collector holds.
    static func names(in listing: InventoryListing) -> Set<String> {
        listing.identities[MetricCatalog.datasourceChanges.name] ?? []
    }
}
