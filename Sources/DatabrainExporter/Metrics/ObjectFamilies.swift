/// The renderer of every per-object family the registry's collectors declare, made once per
/// ``ExporterMetrics`` in exposition order. Every declared family has one by construction: both
/// come from ``CollectorRegistry``.
struct ObjectFamilies: Sendable {
    /// In exposition order (collector order, then declaration order).
    let ordered: [ObjectFamily]
    private let byName: [String: ObjectFamily]

    /// `changes` is told of every family's change (the exposition's scrape cache).
    init(_ declared: [any DeclaredFamily], changes: ExpositionChanges? = nil) {
        ordered = declared.map { ObjectFamily($0.metric, changes: changes) }
        byName = Dictionary(uniqueKeysWithValues: ordered.map { ($0.name, $0) })
    }

    /// The renderer of `family`.
    func renderer(of family: any DeclaredFamily) -> ObjectFamily {
        guard let renderer = byName[family.metric.name] else { preconditionFailure("\(family.metric.name) is declared by no registered collector") }
        return renderer
    }
}
