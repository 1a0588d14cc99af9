/// A collector of one documented GET list, fetched completely (every page) with the target's
/// token; `listing` turns its items into rows against the collector's handles. The collectors of
/// Databrain's lists are values of this type, each made in its own file.
struct ListCollector<Item: Sendable>: Collector {
    let fetcher: ListFetcher<Item>
    /// The items' rows; `poll` carries what earlier collectors of the poll listed.
    let listing: @Sendable ([Item], PollContext) -> CollectorListing

    init(endpoint: ListEndpoint<Item>, settings: FetchSettings, listing: @escaping @Sendable ([Item], PollContext) -> CollectorListing) {
        fetcher = ListFetcher(settings: settings, endpoint: endpoint)
        self.listing = listing
    }

    func collect(transport: any HTTPTransport, token: String, poll: PollContext, record: (RequestRecord) -> Void) async
        -> Result<CollectorListing, PollFailure> {
        await fetcher.fetchAll(transport: transport, token: token, record: record).map { page in
            var listed = listing(page.items, poll)
            listed.skipped = page.skipped
            listed.notice = page.notice
            return listed
        }
    }
}

/// The series of a list of names (`datasources`, `workspaces`): the count, one info series per
/// unique name (a name repeated across pages counts once), and the change counter.
struct NameListSeries: Sendable {
    let count: CountGauge
    let info: Family1
    let changes: ChangeCounter

    var declaration: CollectorSeriesDeclaration { CollectorSeriesDeclaration(count: count, families: [info], changes: [changes]) }

    func listing(_ names: [String]) -> CollectorListing {
        let unique = Set(names)
        var listing = CollectorListing(count: unique.count)
        for name in unique { listing.add(info, name) }
        listing.identify(changes, all: unique)
        return listing
    }
}
