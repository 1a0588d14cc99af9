import NIOCore
import Prometheus
import Synchronization

/// A registry whose text rendering is kept until one of its series changes.
///
/// The poll-derived series change only when a poll (or a request within one) is recorded, while
/// Prometheus, dashboards and load balancers' health checks may scrape far more often. Rendering
/// swift-prometheus' registry took about a sixth of each scrape's CPU on this machine, so it is
/// done once per change instead: every writer calls ``invalidate()`` after changing a series, and
/// the next scrape renders again. A change racing with a rendering only costs one more rendering.
final class RenderedRegistry: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let generation = Atomic<UInt64>(1)
    private let cached = Mutex<(generation: UInt64, bytes: ByteBuffer)>((0, ByteBuffer()))

    /// Marks the rendering stale; call after every change to a series of ``registry``.
    func invalidate() {
        generation.add(1, ordering: .releasing)
    }

    /// The registry in text format, rendered again only if a series changed since the last call,
    /// with the generation it was rendered at (a cache key for what is derived from it).
    func rendered() -> (generation: UInt64, bytes: ByteBuffer) {
        let current = generation.load(ordering: .acquiring)
        if let hit = cached.withLock({ $0.generation == current ? $0.bytes : nil }) { return (current, hit) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(cached.withLock { $0.bytes.readableBytes } + 256)
        registry.emit(into: &bytes)
        let buffer = ByteBuffer(bytes: bytes)
        // Store what was rendered under the generation read *before* rendering: a change made
        // meanwhile has a newer generation, so the next call renders again.
        cached.withLock { if $0.generation < current { $0 = (current, buffer) } }
        return (current, buffer)
    }
}
