extension CollectorName {
    static let workspaces = CollectorName(declaring: "workspaces")
}

/// `workspaces`: `GET /api/v2/workspace` with the target's token and pagination setting. The docs
/// disagree on whether a service token may read it (an older page says a data-app key); a 401,
/// 403 or 404 here turns only this collector down, and the poller says once how to stop asking.
/// The GET does not say which datasource or datamart a workspace uses, so only names are recorded.
enum WorkspacesCollector {
    static let series = NameListSeries(count: CountGauge(MetricCatalog.workspaces), info: Family1(MetricCatalog.workspaceInfo),
                                       changes: ChangeCounter(MetricCatalog.workspaceChanges))
}

extension CollectorDefinition {
    static let workspaces = CollectorDefinition(
        name: .workspaces,
        help: "GET /api/v2/workspace: databrain_workspaces and databrain_workspace_info{workspace}.",
        series: WorkspacesCollector.series.declaration
    ) { context in
        ListCollector(endpoint: .workspaces, settings: context.fetch) { names, _ in WorkspacesCollector.series.listing(names) }
    }
}
