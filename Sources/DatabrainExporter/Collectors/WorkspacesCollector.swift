/// `workspaces`: `GET /api/v2/workspace` with the target's token and pagination setting. The docs
/// disagree on whether a service token may read it (an older page says a data-app key); a 401, 403
/// or 404 here turns only this collector down, and the poller says once how to stop asking.
struct WorkspacesCollector: Sendable {
    let fetcher: ListFetcher<String>

    init(settings: FetchSettings) {
        fetcher = ListFetcher(settings: settings, endpoint: .workspaces)
    }

    /// Every workspace name, or why the list was not fetched completely.
    func collect(transport: some HTTPTransport, token: String, record: (RequestRecord) -> Void) async -> Result<[String], PollFailure> {
        await fetcher.fetchAll(transport: transport, token: token, record: record)
    }
}
