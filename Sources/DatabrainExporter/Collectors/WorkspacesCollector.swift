extension ListCollector where Item == String {
    /// `workspaces`: `GET /api/v2/workspace` with the target's token and pagination setting. The
    /// docs disagree on whether a service token may read it (an older page says a data-app key); a
    /// 401, 403 or 404 here turns only this collector down, and the poller says once how to stop
    /// asking. The GET does not say which datasource or datamart a workspace uses, so only names
    /// are recorded.
    static func workspaces(settings: FetchSettings) -> Self {
        ListCollector(.workspaces, endpoint: .workspaces, settings: settings) { names, _ in Self.names(names, of: .workspaces) }
    }
}
