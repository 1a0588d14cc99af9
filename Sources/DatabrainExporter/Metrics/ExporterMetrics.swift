import NIOCore
import Prometheus

/// The exporter's metrics, in three parts that a scrape sends one after the other:
/// - the `process_*` series, read at scrape time (at most once a second) into their own registry;
/// - the poll-derived series and build info, in a registry rendered again only after a change;
/// - `databrain_datasource_info`, rendered once per poll by ``DatasourcePresence``.
public final class ExporterMetrics: Sendable {
    private let pollDerived = RenderedRegistry()
    private let live = RenderedRegistry()
    let presence = DatasourcePresence()
    private let process: ProcessMetrics
    private let gzipCache = GzipCache()

    /// Creates the registries with build info and process metrics.
    public init() {
        process = ProcessMetrics(registry: live)
        pollDerived.registry.makeGauge(
            descriptor: MetricCatalog.buildInfo,
            labels: [("version", BuildInfo.version), ("revision", BuildInfo.revision),
                     ("swift_version", BuildInfo.swiftVersion), ("libcurl_version", BuildInfo.libcurlVersion)]
        ).set(to: 1.0)
    }

    /// The series of one target (creating them, pre-initialised, on first use).
    public func target(_ name: String) -> TargetMetrics {
        TargetMetrics(target: name, registry: pollDerived, presence: presence)
    }

    /// The exposition in text format 0.0.4, as buffers to send in order: each part is rendered
    /// only when its values changed, so most scrapes copy nothing and render nothing.
    public func expositionParts() -> [ByteBuffer] {
        snapshot().parts
    }

    /// The exposition gzipped (one gzip member), compressed again only when a part changed: at
    /// most once a second for the process series, else once per poll.
    public func gzippedExposition() -> ByteBuffer {
        let current = snapshot()
        return gzipCache.gzipped(key: current.key, parts: current.parts)
    }

    private func snapshot() -> (key: [UInt64], parts: [ByteBuffer]) {
        process.update()
        let live = self.live.rendered()
        let polled = pollDerived.rendered()
        let datasources = presence.emit()
        return ([live.generation, polled.generation, datasources.generation], [live.bytes, polled.bytes] + datasources.parts)
    }

    /// The whole exposition in text format 0.0.4, as one array (for `--once` and tests).
    public func exposition() -> [UInt8] {
        expositionParts().reduce(into: []) { $0.append(contentsOf: $1.readableBytesView) }
    }

    /// The Content-Type of ``exposition()``; Prometheus 3 rejects a missing or wrong one.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
