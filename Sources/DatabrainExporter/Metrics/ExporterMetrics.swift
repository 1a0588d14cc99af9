// Metrics/ owns the series: names (MetricCatalog), the registries, their cached rendering and
// gzip. Writes go through the Cached* handles only. It never polls, serves HTTP or decides
// when to record; the poller and the server call in.

import NIOCore
import Prometheus
import Locking

/// The exporter's metrics, in three parts that a scrape sends one after the other:
/// - the `process_*` series, read at scrape time (at most once a second) into their own registry;
/// - the poll-derived series and build info, in a registry rendered again only after a change;
/// - the per-object families (`databrain_datasource_info`, `databrain_embed_info`, …), each
///   rendered once per poll by an ``ObjectFamily``.
public final class ExporterMetrics: Sendable {
    /// The poll-derived series: targets' in registries of 32 (``RegistrySet``), merged with
    /// ``exporterWide`` (build info, reloads, shards and origins).
    let pollDerived: RegistrySet
    private let exporterWide: RenderedRegistry
    /// Moves with every poll-derived change: the kept answers below are reused while it stands still.
    private let changes = ExpositionChanges()
    /// The last answer in each format (text, OpenMetrics), with its gzip once asked for.
    private let keptAnswers = Locked<[KeptAnswer?]>([nil, nil])
    /// Sampled: the process series are read at most once a second, and the endpoint's own
    /// counters change with every scrape.
    private let live = RenderedRegistry(sampling: ProcessMetrics.minimumUpdateInterval)
    /// The per-object families of every collector; their text joined is kept until one changes:
    /// a scrape reads their generations (atomics) and sends one buffer for all of them.
    let families: ObjectFamilies
    private let joinedCache = Locked<(key: [UInt64], text: ByteBuffer, openMetrics: ByteBuffer)>(([], ByteBuffer(), ByteBuffer()))
    private let liveOpenMetricsCache = Locked<(generation: UInt64, bytes: ByteBuffer)>((0, ByteBuffer()))
    private let process: ProcessMetrics
    private let gzipCache = GzipCache()
    private let openMetricsGzipCache = GzipCache()
    private let reloadSuccessful: CachedGauge
    private let reloadTimestamp: CachedGauge
    /// `databrain_exporter_shard_targets`, labelled by the shard of the last applied configuration.
    private let shardTargets = Locked<(shard: Int, gauge: CachedGauge)?>(nil)
    /// The metrics endpoint's in-flight limit and its request counters.
    public let scrapes: ScrapeLimiter
    /// Whether the exporter's own process and handler series (the sampled part) are served.
    private let servesExporterMetrics: Bool

    /// Creates the registries with build info, process metrics and the endpoint's own series;
    /// `maxScrapesInFlight` bounds concurrent metrics responses (0: no limit). Without
    /// `exporterMetrics`, the process and handler series are kept (the limiter still counts) but
    /// not served, and /proc is not read.
    public init(maxScrapesInFlight: Int = 0, exporterMetrics: Bool = true) {
        servesExporterMetrics = exporterMetrics
        pollDerived = RegistrySet(changes: changes)
        exporterWide = RenderedRegistry(changes: changes)
        families = ObjectFamilies(CollectorRegistry.allFamilies, changes: changes)
        process = ProcessMetrics(registry: live)
        scrapes = ScrapeLimiter(limit: maxScrapesInFlight, registry: live)
        pollDerived.add(exporterWide)
        reloadSuccessful = exporterWide.makeGauge(MetricCatalog.configReloadSuccessful)
        reloadTimestamp = exporterWide.makeGauge(MetricCatalog.configReloadTimestamp)
        exporterWide.makeGauge(
            MetricCatalog.buildInfo,
            labels: [("version", BuildInfo.version), ("revision", BuildInfo.revision), ("branch", BuildInfo.branch),
                     ("swift_version", BuildInfo.swiftVersion), ("libcurl_version", BuildInfo.libcurlVersion), ("platform", BuildInfo.platform)]
        ).set(to: 1.0)
    }

    /// Records a configuration load: at start-up, and on every reload (SIGHUP, `POST /-/reload`).
    public func recordConfigLoad(successful: Bool, at time: Double) {
        reloadSuccessful.set(to: successful ? 1 : 0)
        if successful { reloadTimestamp.set(to: time) }
    }

    /// Records how many targets this replica polls, and for which shard (at every configuration load).
    public func recordShard(_ sharding: Sharding, targets: Int) {
        shardTargets.withLock { current in
            if let existing = current, existing.shard != sharding.shard {
                exporterWide.unregister(gauges: [existing.gauge])
                current = nil
            }
            let gauge = current?.gauge ?? exporterWide.makeGauge(MetricCatalog.shardTargets, labels: [("shard", String(sharding.shard))])
            gauge.set(to: Double(targets))
            current = (sharding.shard, gauge)
        }
    }

    /// The series of one origin's request budget (creating them on first use).
    public func origin(_ origin: String) -> OriginMetrics {
        OriginMetrics(origin: origin, registry: exporterWide)
    }

    /// Makes the series of one target, pre-initialised. One per target name at a time: the
    /// supervisor makes it when the target appears and unregisters it when the target goes.
    public func makeTarget(_ name: String) -> TargetMetrics {
        TargetMetrics(target: name, registries: pollDerived, families: families)
    }

    /// The exposition in `format`, as buffers to send in order: each part is rendered only when
    /// its values changed, so most scrapes copy nothing and render nothing.
    public func expositionParts(_ format: ExpositionFormat = .text) -> [ByteBuffer] {
        answer(format).parts
    }

    /// The exposition gzipped (one gzip member), compressed again only when a part changed: at
    /// most once a second for the process series, else once per poll.
    public func gzippedExposition(_ format: ExpositionFormat = .text) -> ByteBuffer {
        let current = answer(format)
        if let gzip = current.gzip { return gzip }
        let gzip = (format == .text ? gzipCache : openMetricsGzipCache).gzipped(key: current.key, parts: current.parts)
        let slot = Self.slot(format)
        keptAnswers.withLock { kept in
            // Only onto the answer it was compressed from: another scrape may have kept a newer one.
            if kept[slot]?.key == current.key, kept[slot]?.changes == current.changes { kept[slot]?.gzip = gzip }
        }
        return gzip
    }

    /// An answer kept for the scrapes that follow it.
    private struct KeptAnswer {
        /// ``ExpositionChanges/current`` read before it was built.
        let changes: UInt64
        /// Until when its process and handler series stay the ones served (they are sampled), or
        /// nil when they are not served.
        let liveUntil: ContinuousClock.Instant?
        let key: [UInt64]
        let parts: [ByteBuffer]
        var gzip: ByteBuffer?
    }

    private static func slot(_ format: ExpositionFormat) -> Int { format == .text ? 0 : 1 }

    /// The kept answer while nothing poll-derived changed and its sampled part is still current
    /// (one atomic and one lock per scrape), else a new one from every part's cache.
    private func answer(_ format: ExpositionFormat) -> KeptAnswer {
        let changesBefore = changes.current
        let now = ContinuousClock.now
        if let kept = keptAnswers.withLock({ $0[Self.slot(format)] }), kept.changes == changesBefore,
           kept.liveUntil.map({ now < $0 }) ?? true {
            return kept
        }
        let built = snapshot(format)
        let answer = KeptAnswer(changes: changesBefore, liveUntil: servesExporterMetrics ? live.renderingKeptUntil ?? now : nil,
                                key: built.key, parts: built.parts, gzip: nil)
        keptAnswers.withLock { $0[Self.slot(format)] = answer }
        return answer
    }

    private static let endOfOpenMetrics = ByteBuffer(string: "# EOF\n")

    private func snapshot(_ format: ExpositionFormat) -> (key: [UInt64], parts: [ByteBuffer]) {
        if servesExporterMetrics { process.update() }
        let live = servesExporterMetrics ? self.live.rendered() : (generation: 0, bytes: ByteBuffer())
        let polled = pollDerived.rendered()
        let joined = joinedFamilies()
        let key = [live.generation] + polled.key + joined.key
        guard format != .text else { return (key, [live.bytes] + polled.merge.text + [joined.text]) }
        let liveOpenMetrics: ByteBuffer
        if let hit = liveOpenMetricsCache.withLock({ $0.generation == live.generation ? $0.bytes : nil }) {
            liveOpenMetrics = hit
        } else {
            liveOpenMetrics = OpenMetricsText.convert(live.bytes)
            liveOpenMetricsCache.withLock { $0 = (live.generation, liveOpenMetrics) }
        }
        return (key, [liveOpenMetrics] + polled.merge.openMetrics + [joined.openMetrics, Self.endOfOpenMetrics])
    }

    /// Every per-object family's text as one buffer per format, joined again only after one changed.
    private func joinedFamilies() -> (key: [UInt64], text: ByteBuffer, openMetrics: ByteBuffer) {
        let key = self.families.ordered.map(\.generation)
        if let hit = joinedCache.withLock({ $0.key == key ? $0 : nil }) { return hit }
        // Generations read before emitting: a change racing with this only costs one more join.
        let emitted = self.families.ordered.map { $0.emit() }
        // Each family's first buffer is its header; the rest are samples, the same in both formats.
        let openMetrics = emitted.flatMap { parts in parts.enumerated().map { $0.offset == 0 ? OpenMetricsText.header($0.element) : $0.element } }
        let joined = (key, Self.join(emitted.flatMap { $0 }), Self.join(openMetrics))
        joinedCache.withLock { $0 = joined }
        return joined
    }

    private static func join(_ parts: [ByteBuffer]) -> ByteBuffer {
        var joined = ByteBuffer()
        joined.reserveCapacity(parts.reduce(0) { $0 + $1.readableBytes })
        for part in parts { joined.writeImmutableBuffer(part) }
        return joined
    }

    /// The whole exposition in text format 0.0.4, as one array (for `--once` and tests).
    public func exposition() -> [UInt8] {
        expositionParts().reduce(into: []) { $0.append(contentsOf: $1.readableBytesView) }
    }

    /// The Content-Type of ``exposition()``; Prometheus 3 rejects a missing or wrong one.
    public static let contentType = ExpositionFormat.text.contentType
}
