/// The contract of each collector's series, in one place: its count, its per-object
/// families (each rendered by an ``ObjectFamily``) and its change counters. ``ExporterMetrics``
/// makes one family per entry and ``TargetMetrics`` one ``InventorySeries`` per target and
/// collector, so the two cannot disagree.
struct InventoryMetrics: Sendable {
    let count: MetricDefinition
    let families: [MetricDefinition]
    let changes: [MetricDefinition]

    /// Every collector, `datasources` included.
    static let byCollector: [CollectorName: InventoryMetrics] = [
        .datasources: InventoryMetrics(
            count: MetricCatalog.datasources, families: [MetricCatalog.datasourceInfo], changes: [MetricCatalog.datasourceChanges]),
        .workspaces: InventoryMetrics(
            count: MetricCatalog.workspaces, families: [MetricCatalog.workspaceInfo], changes: [MetricCatalog.workspaceChanges]),
        .dataApps: InventoryMetrics(
            count: MetricCatalog.dataApps,
            families: [MetricCatalog.dataAppInfo, MetricCatalog.dataAppEmbeds, MetricCatalog.embedInfo, MetricCatalog.embedUpdated],
            changes: [MetricCatalog.dataAppChanges, MetricCatalog.embedChanges]),
        .datamarts: InventoryMetrics(
            count: MetricCatalog.datamarts, families: [MetricCatalog.datamartInfo, MetricCatalog.datamartDatasourceMissing],
            changes: [MetricCatalog.datamartChanges]),
    ]

    /// Every inventory family, in exposition order (collector order, then contract order).
    static var allFamilies: [MetricDefinition] {
        CollectorName.allCases.flatMap { byCollector[$0]?.families ?? [] }
    }
}
