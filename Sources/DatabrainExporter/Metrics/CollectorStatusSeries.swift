/// `databrain_collector_up` and `databrain_collector_duration_seconds` of one target's collector,
/// written by the poller (as node_exporter's runner writes its collectors' success and duration).
struct CollectorStatusSeries {
    private let rendered: RenderedRegistry
    private let up: CachedGauge
    private let duration: CachedGauge

    init(target: String, collector: CollectorName, registry rendered: RenderedRegistry) {
        self.rendered = rendered
        let labels = [("target", target), ("collector", collector.rawValue)]
        up = rendered.makeGauge(MetricCatalog.collectorUp, labels: labels)
        duration = rendered.makeGauge(MetricCatalog.collectorDuration, labels: labels)
    }

    func record(succeeded: Bool, duration elapsed: Duration) {
        up.set(to: succeeded ? 1 : 0)
        duration.set(elapsed)
    }

    func unregister() {
        rendered.unregister(gauges: [up, duration])
    }
}
