/// Every series one collector of one target owns: its state (`databrain_collector_up`, its
/// duration) and what its last good listing holds (count, per-object families, change counters).
/// Made when the collector is turned on for the target, removed whole when it is turned off or
/// the target goes.
struct CollectorSeries {
    private let status: CollectorStatusSeries
    private var inventory: InventorySeries

    init(target: String, collector: CollectorName, families: ObjectFamilies, registry rendered: RenderedRegistry) {
        status = CollectorStatusSeries(target: target, collector: collector, registry: rendered)
        inventory = InventorySeries(target: target, declaration: collector.definition.series, families: families, registry: rendered)
    }

    /// Records how the collector's part of a poll went; a complete listing replaces the last one,
    /// a failure keeps it.
    mutating func record(_ result: Result<CollectorListing, PollFailure>, duration: Duration) {
        if case .success(let listing) = result { inventory.listed(listing) }
        status.record(succeeded: (try? result.get()) != nil, duration: duration)
    }

    func unregister() {
        status.unregister()
        inventory.unregister()
    }
}
