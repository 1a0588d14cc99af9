/// `workspaces`: `GET /api/v2/workspace` with the target's token and pagination setting. The docs
/// disagree on whether a service token may read it (an older page says a data-app key); a 401, 403
/// or 404 here turns only this collector down, and the poller says once how to stop asking.
/// The GET does not say which datasource or datamart a workspace uses, so only names are recorded.
struct WorkspacesCollector: InventoryCollector {
    let name = CollectorName.workspaces
    let fetcher: ListFetcher<String>

    init(settings: FetchSettings) {
        fetcher = ListFetcher(settings: settings, endpoint: .workspaces)
    }

    func collect(transport: any HTTPTransport, token: String, context: PollContext, record: (RequestRecord) -> Void) async
        -> Result<InventoryListing, PollFailure> {
        await fetcher.fetchAll(transport: transport, token: token, record: record).map(Self.listing)
    }

    /// `databrain_workspaces` and one `databrain_workspace_info{workspace}` per unique name.
    static func listing(_ names: [String]) -> InventoryListing {
        let unique = Set(names)
        return InventoryListing(
            count: unique.count,
            rows: [MetricCatalog.workspaceInfo.name: unique.map { ObjectFamily.Row([$0]) }],
            identities: [MetricCatalog.workspaceChanges.name: unique])
    }
}
