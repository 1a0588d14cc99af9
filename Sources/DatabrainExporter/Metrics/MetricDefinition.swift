import Prometheus

/// One metric of the public contract: its name, type, labels and HELP text. The registry makes
/// series from it, and the README's metrics table is generated from ``MetricCatalog/all``.
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

    /// The full name, as in the exposition's `# TYPE` line.
    var name: String { [namespace, metricName, unit].filter { !$0.isEmpty }.joined(separator: "_") }

    /// swift-prometheus' descriptor (made on demand: it is not Sendable).
    var descriptor: MetricNameDescriptor {
        MetricNameDescriptor(namespace: namespace, metricName: metricName, unitName: unit, helpText: help)
    }
}
