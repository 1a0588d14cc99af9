import NIOCore
import Locking
import Testing
@testable import DatabrainExporter

/// The cached rendering never shows a value older than its policy allows, whichever series was
/// written: every write goes through a handle that marks the rendering stale.
@Suite struct RenderedRegistryTests {
    /// Time that moves only when told to.
    private final class ManualClock: Sendable {
        private let instant = Locked(ContinuousClock.now)
        var now: ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(by duration: Duration) { instant.withLock { $0 += duration } }
    }

    private func text(_ registry: RenderedRegistry) -> String {
        String(buffer: registry.rendered().bytes)
    }

    @Test func everyKindOfWriteShowsAtTheNextRendering() {
        let registry = RenderedRegistry()
        let counter = registry.makeCounter(MetricCatalog.polls, labels: [("target", "t")])
        let gauge = registry.makeGauge(MetricCatalog.up, labels: [("target", "t")])
        let histogram = registry.makeDurationHistogram(MetricCatalog.apiRequestDuration, labels: [("target", "t"), ("endpoint", "datasource")], buckets: [.seconds(1)])
        _ = text(registry)
        counter.increment()
        #expect(text(registry).contains(#"databrain_polls_total{target="t"} 1"#))
        gauge.set(to: 1)
        #expect(text(registry).contains(#"databrain_up{target="t"} 1"#))
        histogram.record(.milliseconds(5))
        #expect(text(registry).contains(#"databrain_api_request_duration_seconds_count{target="t",endpoint="datasource"} 1"#))
        registry.unregister(counters: [counter])
        #expect(!text(registry).contains("databrain_polls_total{"))
        let unchanged = registry.rendered()
        #expect(registry.rendered().generation == unchanged.generation, "no write, no new rendering")
    }

    @Test func aSampledRegistryShowsWritesOnceTheIntervalHasPassed() {
        let clock = ManualClock()
        let registry = RenderedRegistry(sampling: .seconds(1)) { clock.now }
        let gauge = registry.makeGauge(MetricCatalog.up, labels: [("target", "t")])
        _ = text(registry)
        gauge.set(to: 1)
        #expect(text(registry).contains(#"databrain_up{target="t"} 0"#), "within the interval the last rendering is kept")
        clock.advance(by: .seconds(1))
        #expect(text(registry).contains(#"databrain_up{target="t"} 1"#))
    }

    /// The endpoint's own counters used to appear only because the process series happened to
    /// re-render the same registry; on their own they must show within one sampling interval.
    @Test func theScrapeLimitersCountsShowWithoutAnyOtherWriter() throws {
        let clock = ManualClock()
        let registry = RenderedRegistry(sampling: .seconds(1)) { clock.now }
        let limiter = ScrapeLimiter(limit: 1, registry: registry)
        _ = text(registry)
        let slot = try #require(limiter.acquire())
        #expect(limiter.acquire() == nil, "over the limit")
        slot.release(written: true)
        clock.advance(by: .seconds(1))
        let output = text(registry)
        #expect(output.contains(#"databrain_exporter_metric_handler_requests_total{code="200"} 1"#))
        #expect(output.contains(#"databrain_exporter_metric_handler_requests_total{code="503"} 1"#))
        #expect(output.contains("databrain_exporter_metric_handler_requests_in_flight 0"))
    }
}
