/// What one target's collector lists (`datasources`, `workspaces`, `data_apps`, `datamarts`): the
/// count and the per-object families from its last successful poll, and the changes between
/// successive successful polls. A failed poll keeps them as they were; turning the collector off
/// (or removing the target) removes them all.
struct InventorySeries {
    private let rendered: RenderedRegistry
    private let target: String
    private let metrics: InventoryMetrics
    private let families: [ObjectFamily]
    /// Added and removed, per change counter, exported at 0 from the start.
    private let counters: [(name: String, added: CachedCounter, removed: CachedCounter)]
    /// The identities each change counter saw last; nil before the first success (the baseline).
    private var previous: [String: Set<String>]?
    /// Made by the first success: a 0 before it would read as "everything vanished".
    private var count: CachedGauge?

    init(target: String, metrics: InventoryMetrics, families: [String: ObjectFamily], registry rendered: RenderedRegistry) {
        self.rendered = rendered
        self.target = target
        self.metrics = metrics
        self.families = metrics.families.map { families[$0.name]! }
        counters = metrics.changes.map { changes in
            (changes.name,
             rendered.makeCounter(changes, labels: [("target", target), ("change", "added")]),
             rendered.makeCounter(changes, labels: [("target", target), ("change", "removed")]))
        }
    }

    /// Records a complete list; the first one only sets the baseline of the change counters.
    mutating func listed(_ listing: InventoryListing) {
        precondition(Set(listing.rows.keys) == Set(families.map(\.name)) && Set(listing.identities.keys) == Set(counters.map(\.name)),
                     "a listing must fill exactly its collector's families and change counters")
        for family in families { family.replace(target: target, rows: listing.rows[family.name]!) }
        if let previous {
            for counter in counters {
                let now = listing.identities[counter.name]!, before = previous[counter.name]!
                // One pass of lookups: 100,000 datasources are a poll's biggest list.
                let added = now.reduce(0) { $0 + (before.contains($1) ? 0 : 1) }
                let removed = before.count - (now.count - added)
                if added > 0 { counter.added.increment(by: Int64(added)) }
                if removed > 0 { counter.removed.increment(by: Int64(removed)) }
            }
        }
        previous = listing.identities
        if count == nil { count = rendered.makeGauge(metrics.count, labels: [("target", target)]) }
        count!.set(to: Double(listing.count))
    }

    func unregister() {
        rendered.unregister(counters: counters.flatMap { [$0.added, $0.removed] }, gauges: [count].compactMap { $0 })
        for family in families { family.remove(target: target) }
    }
}
