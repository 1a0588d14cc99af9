import Prometheus

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

    /// The full name, as in the exposition's `# TYPE` line.
    var name: String { [namespace, metricName, unit].filter { !$0.isEmpty }.joined(separator: "_") }

    /// swift-prometheus' descriptor (made on demand: it is not Sendable).
    var descriptor: MetricNameDescriptor {
        MetricNameDescriptor(namespace: namespace, metricName: metricName, unitName: unit, helpText: help)
    }
}
