/// One metric of the public contract: its name, type, labels and HELP text. The registry makes
/// series from it, and the metrics table of docs/metrics.md is generated from ``MetricCatalog/all``.
struct MetricDefinition: Sendable {
    /// The Prometheus metric type.
    enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    /// `databrain` or `process`.
    let namespace: String
    /// The name between namespace and unit.
    let metricName: String
    /// `seconds`, `bytes`, `total`, …; empty for none.
    let unit: String
    let kind: Kind
    /// The labels as the README shows them, with their fixed values: "target, change=`added`/`removed`".
    let labels: String
    /// The HELP text, also the README's "meaning" column.
    let help: String
    /// The full name, as in the exposition's `# TYPE` line. Stored, not joined on demand: every
    /// series swift-prometheus makes keeps the name it was given, so 80,000 series at 1,000
    /// targets share one string per metric instead of holding 80,000 copies (about 5 MB).
    let name: String

    init(namespace: String, metricName: String, unit: String, kind: Kind, labels: String, help: String) {
        self.namespace = namespace
        self.metricName = metricName
        self.unit = unit
        self.kind = kind
        self.labels = labels
        self.help = help
        name = [namespace, metricName, unit].filter { !$0.isEmpty }.joined(separator: "_")
    }

    /// The label names, in the order every series of the metric carries them: taken from
    /// ``labels`` (`"target, change=…"` gives `["target", "change"]`), so the README's contract
    /// and the series cannot disagree.
    var labelNames: [String] {
        labels.split(separator: ",").map { String($0.split(separator: "=").first ?? "").trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// Stops the process when a series is made with other label names, or in another order, than
    /// the contract says: a missing `collector` label at one call site fails the first test that
    /// makes the series, instead of passing every test and surprising a query.
    func checkLabels(_ labels: [(String, String)]) {
        precondition(labels.map(\.0) == labelNames, "\(name) is made with labels \(labels.map(\.0)), but its contract says \(labelNames)")
    }

}
