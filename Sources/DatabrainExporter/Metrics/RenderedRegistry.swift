import NIOCore
import Prometheus
import Locking
import Synchronization

/// A registry whose text rendering is kept until one of its series changes.
///
/// The poll-derived series change only when a poll (or a request within one) is recorded, while
/// Prometheus, dashboards and load balancers' health checks may scrape far more often, and
/// rendering swift-prometheus' registry was a visible share of each scrape's CPU, so it is done
/// once per change instead. The swift-prometheus registry is private: series are made here and
/// written through ``CachedSeries`` handles, which mark the rendering stale on every write, so no
/// writer can forget to. A change racing with a rendering only costs one more rendering.
final class RenderedRegistry: Sendable {
    private let registry = PrometheusCollectorRegistry()
    /// The same registry, making series with shared name strings (``SeriesByName``).
    private var byName: some SeriesByName { registry }
    private let generation = Atomic<UInt64>(1)
    private let cached = Locked<(generation: UInt64, bytes: ByteBuffer, at: ContinuousClock.Instant?)>((0, ByteBuffer(), nil))
    private let split = Locked<(generation: UInt64, families: [FamilyText])>((0, []))
    /// A rendering is kept this long even if series changed meanwhile (zero: render after every
    /// change). Series written on every scrape (the endpoint's own counters) are sampled this way,
    /// so counting a scrape does not make each scrape render again.
    let sampling: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    /// Told of every write, after the registry's own generation (the exposition's scrape cache).
    private let changes: ExpositionChanges?

    /// Creates an empty registry; `now` is injectable so tests can move time.
    init(sampling: Duration = .zero, changes: ExpositionChanges? = nil, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.sampling = sampling
        self.changes = changes
        self.now = now
    }

    /// Called by the series wrappers after every write.
    func seriesChanged() {
        generation.add(1, ordering: .releasing)
        changes?.changed()
    }

    /// Until when a sampled registry's last rendering is served whatever changes meanwhile
    /// (nil: not sampled, or nothing rendered yet).
    var renderingKeptUntil: ContinuousClock.Instant? {
        guard sampling != .zero else { return nil }
        return cached.withLock { $0.at }.map { $0 + sampling }
    }

    /// The registry in text format, rendered again only if a series changed since the last call
    /// (and, when sampling, the last rendering is at least ``sampling`` old), with the generation
    /// it was rendered at (a cache key for what is derived from it).
    func rendered() -> (generation: UInt64, bytes: ByteBuffer) {
        let current = generation.load(ordering: .acquiring)
        let instant = sampling == .zero ? nil : now()
        let hit: (UInt64, ByteBuffer)? = cached.withLock { cached in
            if cached.generation == current { return (cached.generation, cached.bytes) }
            if let instant, let at = cached.at, instant - at < sampling { return (cached.generation, cached.bytes) }
            return nil
        }
        if let hit { return hit }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(cached.withLock { $0.bytes.readableBytes } + 256)
        registry.emit(into: &bytes)
        let buffer = ByteBuffer(bytes: bytes)
        // Store what was rendered under the generation read *before* rendering: a change made
        // meanwhile has a newer generation, so the next call renders again.
        cached.withLock { if $0.generation < current { $0 = (current, buffer, instant) } }
        return (current, buffer)
    }

    /// ``rendered()`` split into its families (``FamilyText``, slices of it), split again only
    /// after a new rendering.
    func renderedFamilies() -> (generation: UInt64, families: [FamilyText]) {
        let rendering = rendered()
        if let hit = split.withLock({ $0.generation == rendering.generation ? $0.families : nil }) { return (rendering.generation, hit) }
        let families = FamilyText.split(rendering.bytes)
        split.withLock { if $0.generation < rendering.generation { $0 = (rendering.generation, families) } }
        return (rendering.generation, families)
    }

    // MARK: - Making and removing series

    /// A counter (created at 0, or the existing one with these labels).
    func makeCounter(_ metric: MetricDefinition, labels: [(String, String)] = []) -> CachedCounter {
        precondition(metric.kind == .counter, "\(metric.name) is a \(metric.kind), not a counter")
        metric.checkLabels(labels)
        defer { seriesChanged() }
        return CachedCounter(byName.makeCounter(name: metric.name, labels: labels, help: metric.help), in: self)
    }

    /// A gauge (created at 0, or the existing one with these labels).
    func makeGauge(_ metric: MetricDefinition, labels: [(String, String)] = []) -> CachedGauge {
        precondition(metric.kind == .gauge, "\(metric.name) is a \(metric.kind), not a gauge")
        metric.checkLabels(labels)
        defer { seriesChanged() }
        return CachedGauge(byName.makeGauge(name: metric.name, labels: labels, help: metric.help), in: self)
    }

    /// A histogram of durations with fixed buckets.
    func makeDurationHistogram(_ metric: MetricDefinition, labels: [(String, String)], buckets: [Duration]) -> CachedDurationHistogram {
        precondition(metric.kind == .histogram, "\(metric.name) is a \(metric.kind), not a histogram")
        metric.checkLabels(labels)
        defer { seriesChanged() }
        return CachedDurationHistogram(byName.makeDurationHistogram(name: metric.name, labels: labels, buckets: buckets, help: metric.help), in: self)
    }

    /// Removes series from the exposition.
    func unregister(counters: [CachedCounter] = [], gauges: [CachedGauge] = [], histograms: [CachedDurationHistogram] = []) {
        defer { seriesChanged() }
        for counter in counters { registry.unregisterCounter(counter.series) }
        for gauge in gauges { registry.unregisterGauge(gauge.series) }
        for histogram in histograms { registry.unregisterDurationHistogram(histogram.series) }
    }
}

// MARK: - The write handles: each write marks its registry's rendering stale.

/// A series of a ``RenderedRegistry``: the only way to write it, and every write marks the
/// registry's rendering stale.
struct CachedSeries<Series: Sendable>: Sendable {
    fileprivate let series: Series
    private let owner: RenderedRegistry

    fileprivate init(_ series: Series, in owner: RenderedRegistry) {
        self.series = series
        self.owner = owner
    }

    fileprivate func write(_ change: (Series) -> Void) {
        change(series)
        owner.seriesChanged()
    }
}

typealias CachedCounter = CachedSeries<Counter>
typealias CachedGauge = CachedSeries<Gauge>
typealias CachedDurationHistogram = CachedSeries<DurationHistogram>

extension CachedSeries where Series == Counter {
    func increment(by amount: Int64 = 1) { write { $0.increment(by: amount) } }
    func increment(by amount: Double) { write { $0.increment(by: amount) } }
}

extension CachedSeries where Series == Gauge {
    func set(to value: Double) { write { $0.set(to: value) } }
    func set(_ duration: Duration) { set(to: duration.seconds) }
}

extension CachedSeries where Series == DurationHistogram {
    func record(_ duration: Duration) { write { $0.record(duration) } }
}
