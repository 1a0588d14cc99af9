/// The series of one target's inventory collector (`workspaces`): the count and the info family
/// from its last successful poll, and the changes between successive successful polls. A failed
/// poll keeps them as they were; turning the collector off removes them all.
struct InventorySeries {
    private let rendered: RenderedRegistry
    private let target: String
    private let family: PresenceFamily
    private let countMetric: MetricDefinition
    private let added: CachedCounter
    private let removed: CachedCounter
    /// Made by the first success: a 0 before it would read as "everything vanished".
    private var count: CachedGauge?

    init(target: String, count countMetric: MetricDefinition, changes: MetricDefinition, family: PresenceFamily, registry rendered: RenderedRegistry) {
        self.rendered = rendered
        self.target = target
        self.family = family
        self.countMetric = countMetric
        added = rendered.makeCounter(changes, labels: [("target", target), ("change", "added")])
        removed = rendered.makeCounter(changes, labels: [("target", target), ("change", "removed")])
    }

    /// Records a complete list; the first one only sets the baseline of the change counters.
    mutating func listed(_ names: [String]) {
        let unique = Set(names)
        if let changes = family.replace(target: target, with: unique) {
            if changes.added > 0 { added.increment(by: Int64(changes.added)) }
            if changes.removed > 0 { removed.increment(by: Int64(changes.removed)) }
        }
        if count == nil { count = rendered.makeGauge(countMetric, labels: [("target", target)]) }
        count!.set(to: Double(unique.count))
    }

    func unregister() {
        rendered.unregister(counters: [added, removed], gauges: [count].compactMap { $0 })
        family.remove(target: target)
    }
}
