import Prometheus

/// The exporter's metrics: one swift-prometheus registry plus the datasource presence family.
public final class ExporterMetrics: Sendable {
    /// The registry holding every family except `databrain_datasource_info`.
    public let registry = PrometheusCollectorRegistry()
    let presence = DatasourcePresence()
    private let process: ProcessMetrics

    /// Creates the registry with build info and process metrics.
    public init() {
        process = ProcessMetrics(registry: registry)
        registry.makeGauge(
            descriptor: MetricCatalog.buildInfo,
            labels: [("version", BuildInfo.version), ("revision", BuildInfo.revision),
                     ("swift_version", BuildInfo.swiftVersion), ("libcurl_version", BuildInfo.libcurlVersion)]
        ).set(to: 1.0)
    }

    /// The series of one target (creating them, pre-initialised, on first use).
    public func target(_ name: String) -> TargetMetrics {
        TargetMetrics(target: name, registry: registry, presence: presence)
    }

    /// The whole exposition in text format 0.0.4.
    public func exposition() -> [UInt8] {
        process.update()
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        presence.emit(into: &buffer)
        return buffer
    }

    /// The Content-Type of ``exposition()``; Prometheus 3 rejects a missing or wrong one.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
