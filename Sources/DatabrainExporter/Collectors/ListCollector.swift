/// A collector: one documented GET list, fetched completely with the target's token, and what its
/// items become (``InventoryListing``). Each collector is a value of this type made in its own
/// file (`ListCollector.datasources(settings:)`, `.workspaces`, `.dataApps`, `.datamarts`), which
/// says what the list is and how its items turn into series.
struct ListCollector<Item: Sendable>: InventoryCollector {
    let name: CollectorName
    let fetcher: ListFetcher<Item>
    /// The items' series; `context` carries what earlier collectors of the poll learnt.
    let listing: @Sendable ([Item], PollContext) -> InventoryListing

    init(_ name: CollectorName, endpoint: ListEndpoint<Item>, settings: FetchSettings,
         listing: @escaping @Sendable ([Item], PollContext) -> InventoryListing) {
        self.name = name
        fetcher = ListFetcher(settings: settings, endpoint: endpoint)
        self.listing = listing
    }

    func collect(transport: any HTTPTransport, token: String, context: PollContext, record: (RequestRecord) -> Void) async
        -> Result<InventoryListing, PollFailure> {
        await fetcher.fetchAll(transport: transport, token: token, record: record).map { page in
            var listed = listing(page.items, context)
            listed.skipped = page.skipped
            listed.notice = page.notice
            return listed
        }
    }
}

extension ListCollector where Item == String {
    /// A list of names only (`datasources`, `workspaces`): the count and one info series per unique
    /// name (a name repeated across pages counts once), in the info family and change counter
    /// ``InventoryMetrics`` gives `collector`.
    static func names(_ names: [String], of collector: CollectorName) -> InventoryListing {
        let metrics = InventoryMetrics.byCollector[collector]!
        let unique = Set(names)
        return InventoryListing(count: unique.count, rows: [metrics.families[0].name: unique.map { ObjectFamily.Row([$0]) }],
                                identities: [metrics.changes[0].name: unique])
    }

    /// The names a listing of `collector` holds.
    static func names(in listing: InventoryListing, of collector: CollectorName) -> Set<String> {
        listing.identities[InventoryMetrics.byCollector[collector]!.changes[0].name] ?? []
    }
}
