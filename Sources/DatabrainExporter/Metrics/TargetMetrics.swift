import FoundationEssentials
import Prometheus
import Synchronization

/// Every series of one target, labelled `target="<name>"` first, in a fixed label order.
///
/// HELP texts say that values come from the last poll: the exporter polls on its own schedule and
/// a scrape only reads what the last poll left.
public final class TargetMetrics: Sendable {
    /// Status codes exported at 0 before any request, so `rate()` and alerts work from the first scrape.
    public static let preinitialisedCodes = [200, 400, 401, 429, 500]
    /// Latency buckets: loopback requests take milliseconds, a slow page of the cloud API seconds.
    static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]

    /// The `target` label value.
    public let target: String
    private let rendered: RenderedRegistry
    private let presence: ObjectFamily
    private let inventoryFamilies: [String: ObjectFamily]
    private let up: CachedGauge
    private let added: CachedCounter
    private let removed: CachedCounter
    private let state: Mutex<State>
    private let polls: CachedCounter
    private let pollFailures: CachedCounter
    private let pollDuration: CachedGauge
    private let lastSuccess: CachedGauge
    private let connections: CachedCounter

    /// What changes after creation, behind one lock so that retiring the target (a reload removed
    /// it) and recording a poll that was still finishing can never interleave: a late poll must not
    /// re-create series of a target that no longer exists.
    private struct State {
        var retired = false
        /// The poller allowed to write: the last one that ``claim()``ed these series. A restarted
        /// target's old poller may still be finishing a poll; its writes carry an older number.
        var writer: UInt64 = 0
        /// Created by the first successful poll: a 0 before it would read as "every datasource vanished".
        var datasources: CachedGauge?
        /// Request series per endpoint, made the first time the endpoint is polled.
        var endpoints: [String: EndpointSeries]
        /// Up and duration of each collector turned on for the target.
        var collectors: [CollectorName: CollectorStatusSeries] = [:]
        /// The series of each inventory collector turned on (every collector but `datasources`).
        var inventories: [CollectorName: InventorySeries] = [:]
        /// Present while health probing is on for the target.
        var health: HealthSeries?
    }

    init(target: String, registry rendered: RenderedRegistry, presence: ObjectFamily, inventoryFamilies: [String: ObjectFamily]) {
        self.target = target
        self.rendered = rendered
        self.presence = presence
        self.inventoryFamilies = inventoryFamilies
        let labels = [("target", target)]
        up = rendered.makeGauge(MetricCatalog.up, labels: labels)
        added = rendered.makeCounter(MetricCatalog.datasourceChanges, labels: labels + [("change", "added")])
        removed = rendered.makeCounter(MetricCatalog.datasourceChanges, labels: labels + [("change", "removed")])
        // The datasource list is always polled: its request series exist from the start.
        let datasource = ListEndpoint<String>.datasources.label
        state = Mutex(State(endpoints: [datasource: EndpointSeries(target: target, endpoint: datasource, registry: rendered)]))
        polls = rendered.makeCounter(MetricCatalog.polls, labels: labels)
        pollFailures = rendered.makeCounter(MetricCatalog.pollFailures, labels: labels)
        pollDuration = rendered.makeGauge(MetricCatalog.pollDuration, labels: labels)
        lastSuccess = rendered.makeGauge(MetricCatalog.lastSuccess, labels: labels)
        connections = rendered.makeCounter(MetricCatalog.apiConnectionsOpened, labels: labels)
    }

    /// Makes the caller the only poller whose writes count from now on, and returns its handle:
    /// a restart's new poller claims the series it shares with the old one, which is fenced out.
    public func claim() -> TargetWriter {
        TargetWriter(metrics: self, number: state.withLock { state in
            state.writer += 1
            return state.writer
        })
    }

    /// Records one HTTP exchange (ignored unless `writer` holds the latest claim).
    func record(_ request: RequestRecord, writer: UInt64) {
        state.withLock { state in
            guard !state.retired, writer == state.writer else { return }
            if state.endpoints[request.endpoint] == nil {
                state.endpoints[request.endpoint] = EndpointSeries(target: target, endpoint: request.endpoint, registry: rendered)
            }
            state.endpoints[request.endpoint]!.record(request)
            if request.connectionsOpened > 0 { connections.increment(by: Int64(request.connectionsOpened)) }
        }
    }

    /// Records a successful poll; returns the number of unique datasources.
    @discardableResult
    func pollSucceeded(names: [String], duration: Duration, at time: Date, writer: UInt64) -> Int {
        let unique = Set(names)
        state.withLock { state in
            guard !state.retired, writer == state.writer else { return }
            // The first poll only sets the baseline: starting the exporter adds nothing.
            if let changes = presence.replace(target: target, with: unique) {
                if changes.added > 0 { added.increment(by: Int64(changes.added)) }
                if changes.removed > 0 { removed.increment(by: Int64(changes.removed)) }
            }
            polls.increment()
            if state.datasources == nil {
                state.datasources = rendered.makeGauge(MetricCatalog.datasources, labels: [("target", target)])
            }
            state.datasources!.set(to: Double(unique.count))
            up.set(to: 1.0)
            pollDuration.set(duration)
            lastSuccess.set(to: time.timeIntervalSince1970)
        }
        return unique.count
    }

    /// Records a failed poll: `up` drops to 0, the datasource list and count stay as they were.
    func pollFailed(duration: Duration, writer: UInt64) {
        state.withLock { state in
            guard !state.retired, writer == state.writer else { return }
            polls.increment()
            pollFailures.increment()
            up.set(to: 0.0)
            pollDuration.set(duration)
        }
    }

    /// Creates the `databrain_health_*` series, or removes them when probing is off (a reload may
    /// turn it off for a running target).
    func setHealthProbing(_ enabled: Bool, writer: UInt64) {
        state.withLock { state in
            guard !state.retired, writer == state.writer else { return }
            if enabled, state.health == nil {
                state.health = HealthSeries(target: target, registry: rendered)
            } else if !enabled {
                state.health?.unregister()
                state.health = nil
            }
        }
    }

    /// Records a round of health probes (ignored while probing is off).
    func recordHealth(_ probes: [HealthProber.Probe], writer: UInt64) {
        state.withLock { state in
            guard !state.retired, writer == state.writer else { return }
            state.health?.record(probes)
        }
    }

    /// Makes the series of exactly `collectors` exist, removing those of collectors turned off.
    func setCollectors(_ collectors: [CollectorName], writer: UInt64) {
        state.withLock { state in
            guard !state.retired, writer == state.writer else { return }
            for (name, series) in state.collectors where !collectors.contains(name) {
                series.unregister()
                state.collectors[name] = nil
                state.inventories.removeValue(forKey: name)?.unregister()
            }
            for name in collectors where state.collectors[name] == nil {
                state.collectors[name] = CollectorStatusSeries(target: target, collector: name, registry: rendered)
                if let metrics = InventoryMetrics.byCollector[name] {
                    state.inventories[name] = InventorySeries(target: target, metrics: metrics, families: inventoryFamilies, registry: rendered)
                }
            }
        }
    }

    /// Records how a collector's part of the poll went.
    func collectorFinished(_ name: CollectorName, succeeded: Bool, duration: Duration, writer: UInt64) {
        state.withLock { state in
            guard !state.retired, writer == state.writer else { return }
            state.collectors[name]?.record(succeeded: succeeded, duration: duration)
        }
    }

    /// Records an inventory collector's complete list.
    func inventoryListed(_ name: CollectorName, _ listing: InventoryListing, writer: UInt64) {
        state.withLock { state in
            guard !state.retired, writer == state.writer else { return }
            state.inventories[name]?.listed(listing)
        }
    }

    /// Removes every series of this target (a reload removed it); later records are ignored.
    public func unregister() {
        state.withLock { state in
            state.retired = true
            state.health?.unregister()
            state.health = nil
            for series in state.endpoints.values { series.unregister() }
            for series in state.collectors.values { series.unregister() }
            for series in state.inventories.values { series.unregister() }
            rendered.unregister(
                counters: [added, removed, polls, pollFailures, connections],
                gauges: [up, pollDuration, lastSuccess] + [state.datasources].compactMap { $0 })
            presence.remove(target: target)
        }
    }
}
