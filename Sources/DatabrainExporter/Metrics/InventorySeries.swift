/// What one target's collector lists: the count and the per-object families from its last
/// successful poll, and the changes between successive successful polls. A failed poll keeps them
/// as they were; turning the collector off (or removing the target) removes them all.
struct InventorySeries {
    private let rendered: RenderedRegistry
    private let target: String
    private let declaration: CollectorSeriesDeclaration
    /// The renderer of each declared family, in declaration order.
    private let families: [(handle: any DeclaredFamily, renderer: ObjectFamily)]
    /// Added and removed, per change counter, exported at 0 from the start.
    private let counters: [(handle: ChangeCounter, added: CachedCounter, removed: CachedCounter)]
    /// The identities each change counter saw last, in counter order; nil before the first
    /// success (the baseline).
    private var previous: [Set<String>]?
    /// Made by the first success: a 0 before it would read as "everything vanished".
    private var count: CachedGauge?

    init(target: String, declaration: CollectorSeriesDeclaration, families renderers: ObjectFamilies, registry rendered: RenderedRegistry) {
        self.rendered = rendered
        self.target = target
        self.declaration = declaration
        families = declaration.families.map { ($0, renderers.renderer(of: $0)) }
        counters = declaration.changes.map { changes in
            (changes,
             rendered.makeCounter(changes.metric, labels: [("target", target), ("change", "added")]),
             rendered.makeCounter(changes.metric, labels: [("target", target), ("change", "removed")]))
        }
    }

    /// Records a complete listing; the first one only sets the baseline of the change counters.
    mutating func listed(_ listing: CollectorListing) {
        for family in families { family.renderer.replace(target: target, rows: listing.rows(of: family.handle)) }
        let now = counters.map { listing.identities(of: $0.handle) }
        if let previous {
            for (counter, (identities, before)) in zip(counters, zip(now, previous)) {
                // One pass of lookups: 100,000 datasources are a poll's biggest list.
                let added = identities.reduce(0) { $0 + (before.contains($1) ? 0 : 1) }
                let removed = before.count - (identities.count - added)
                if added > 0 { counter.added.increment(by: Int64(added)) }
                if removed > 0 { counter.removed.increment(by: Int64(removed)) }
            }
        }
        previous = now
        if let gauge = declaration.count, let value = listing.count {
            let made = count ?? rendered.makeGauge(gauge.metric, labels: [("target", target)])
            made.set(to: Double(value))
            count = made
        }
    }

    func unregister() {
        rendered.unregister(counters: counters.flatMap { [$0.added, $0.removed] }, gauges: [count].compactMap { $0 })
        for family in families { family.renderer.remove(target: target) }
    }
}
