/// The contract of each inventory collector's series, in one place: its count, its info family
/// and its change counter. ``ExporterMetrics`` makes one info family per entry and
/// ``TargetMetrics`` one ``InventorySeries`` per target and entry, so the two cannot disagree.
struct InventoryMetrics: Sendable {
    let count: MetricDefinition
    let info: MetricDefinition
    let changes: MetricDefinition

    /// Every collector but `datasources` (whose series predate collectors and live in TargetMetrics).
    static let byCollector: [CollectorName: InventoryMetrics] = [
        .workspaces: InventoryMetrics(count: MetricCatalog.workspaces, info: MetricCatalog.workspaceInfo, changes: MetricCatalog.workspaceChanges),
    ]
}
