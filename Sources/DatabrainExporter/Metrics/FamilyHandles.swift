/// The handles a collector declares and emits against, as node_exporter's collectors hold
/// `*prometheus.Desc`: each wraps one ``MetricDefinition`` of the contract, checked once when the
/// handle is made (the owner label `target` first, then the object labels), so a row names each
/// label as a parameter and a wrong arity does not compile.

/// A per-object gauge family the registry renders with an ``ObjectFamily``: `objectLabels`
/// labels after `target`, checked when the handle is made.
protocol DeclaredFamily: Sendable {
    static var objectLabels: Int { get }
    var metric: MetricDefinition { get }
    init(metric: MetricDefinition)
}

extension DeclaredFamily {
    init(_ metric: MetricDefinition) {
        precondition(metric.kind == .gauge && metric.labelNames.count == Self.objectLabels + 1 && metric.labelNames.first == "target",
                     "\(metric.name) is not a gauge of a target with \(Self.objectLabels) object label(s)")
        self.init(metric: metric)
    }
}

/// A collector's object count: `databrain_workspaces{target}`. Absent until the first success.
struct CountGauge: Sendable {
    let metric: MetricDefinition

    init(_ metric: MetricDefinition) {
        precondition(metric.kind == .gauge && metric.labelNames == ["target"], "\(metric.name) is not a count gauge of a target")
        self.metric = metric
    }
}

/// One object label: `databrain_workspace_info{target, workspace}`.
struct Family1: DeclaredFamily {
    static let objectLabels = 1
    let metric: MetricDefinition
}

/// Two object labels: `databrain_datamart_info{target, datamart, datasource}`.
struct Family2: DeclaredFamily {
    static let objectLabels = 2
    let metric: MetricDefinition
}

/// Three object labels: `databrain_embed_info{target, data_app, embed_id, embed}`.
struct Family3: DeclaredFamily {
    static let objectLabels = 3
    let metric: MetricDefinition
}

/// A change counter, `{target, change="added"|"removed"}`: what a collector identifies each poll,
/// compared with the identities of its last successful poll.
struct ChangeCounter: Sendable {
    let metric: MetricDefinition

    init(_ metric: MetricDefinition) {
        precondition(metric.kind == .counter && metric.labelNames == ["target", "change"], "\(metric.name) is not a change counter")
        self.metric = metric
    }
}

/// Everything a collector emits against: the series ``CollectorSeries`` makes for each target.
struct CollectorSeriesDeclaration: Sendable {
    var count: CountGauge?
    var families: [any DeclaredFamily]
    var changes: [ChangeCounter]

    init(count: CountGauge? = nil, families: [any DeclaredFamily] = [], changes: [ChangeCounter] = []) {
        self.count = count
        self.families = families
        self.changes = changes
    }
}
