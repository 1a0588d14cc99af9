import Prometheus

/// swift-prometheus' constructors that take the metric's name as a `String`, reached through a
/// protocol so the call sites say why they use them.
///
/// swift-prometheus deprecates them for the `MetricNameDescriptor` ones, but those join the name
/// from its parts on every call, and each series keeps the string it was given: at 1,000 targets
/// that is 80,000 copies of a few dozen names (5 MiB of RSS, measured with
/// Benchmarks/defaults.py). Given ``MetricDefinition/name``, a stored string, every series of a
/// metric shares one. The output is the same: the descriptor constructors call these.
protocol SeriesByName {
    func makeCounter(name: String, labels: [(String, String)], help: String) -> Counter
    func makeGauge(name: String, labels: [(String, String)], help: String) -> Gauge
    func makeDurationHistogram(name: String, labels: [(String, String)], buckets: [Duration], help: String) -> DurationHistogram
}

extension PrometheusCollectorRegistry: SeriesByName {}
