import FoundationEssentials
import Prometheus
import Locking

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
    /// The registry of this target's shard (``RegistrySet``).
    private let rendered: RenderedRegistry
    private let registries: RegistrySet
    private let families: ObjectFamilies
    private let up: CachedGauge
    private let state: Locked<State>
    private let polls: CachedCounter
    private let pollFailures: CachedCounter
    /// `databrain_last_poll_failure`, one gauge per reason (``PollFailure/reasons``).
    private let lastFailure: [String: CachedGauge]
    private let pollDuration: CachedGauge
    private let lastSuccess: CachedGauge
    private let connections: CachedCounter

    /// What changes after creation, behind one lock so that retiring the target (a reload removed
    /// it) and recording a poll that was still finishing can never interleave: a late poll must not
    /// re-create series of a target that no longer exists.
    private struct State {
        var retired = false
        /// The claim allowed to write: the latest one (``writer(claim:)``). A restarted target's old
        /// poller may still be finishing a poll; its writes carry an older number.
        var writer: UInt64 = 0
        /// Request series per endpoint, made the first time the endpoint is polled.
        var endpoints: [String: EndpointSeries]
        /// Each collector's own series (state, count, per-object families, changes), for the
        /// collectors turned on; the required one always.
        var collectors: [CollectorName: CollectorSeries]
        /// Present while health probing is on for the target.
        var health: HealthSeries?
    }

    /// The target's own series (up, polls, last success, connections), the request series of the
    /// datasource list and the required collector's series; the other collectors' come with
    /// ``setCollectors(_:writer:)``. `families` are the exporter's per-object families.
    init(target: String, registries: RegistrySet, families: ObjectFamilies) {
        self.target = target
        self.registries = registries
        self.families = families
        let rendered = registries.registry(for: target)
        self.rendered = rendered
        let labels = [("target", target)]
        up = rendered.makeGauge(MetricCatalog.up, labels: labels)
        // The datasource list is always polled: its request and collector series exist from the start.
        let datasource = ListEndpoint<String>.datasources.label
        state = Locked(State(
            endpoints: [datasource: EndpointSeries(target: target, endpoint: datasource, registry: rendered)],
            collectors: [.required: CollectorSeries(target: target, collector: .required, families: families, registry: rendered)]))
        polls = rendered.makeCounter(MetricCatalog.polls, labels: labels)
        pollFailures = rendered.makeCounter(MetricCatalog.pollFailures, labels: labels)
        lastFailure = Dictionary(uniqueKeysWithValues: PollFailure.reasons.map { reason in
            (reason, rendered.makeGauge(MetricCatalog.lastPollFailure, labels: labels + [("reason", reason)]))
        })
        pollDuration = rendered.makeGauge(MetricCatalog.pollDuration, labels: labels)
        lastSuccess = rendered.makeGauge(MetricCatalog.lastSuccess, labels: labels)
        connections = rendered.makeCounter(MetricCatalog.apiConnectionsOpened, labels: labels)
    }

    /// The handle of claim `number` (``TargetSlot`` numbers them): from now on only writes of this
    /// claim, or a later one, count; a restart's new poller fences out the old one this way.
    func writer(claim number: UInt64) -> TargetWriter {
        state.withLock { $0.writer = max($0.writer, number) }
        return TargetWriter(metrics: self, number: number)
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

    /// Records a poll: each collector's series, the target's own series from the required
    /// collector's state, and the health probes (ignored unless `writer` holds the latest claim).
    func record(_ report: PollReport, writer: UInt64) {
        state.withLock { state in
            guard !state.retired, writer == state.writer else { return }
            for run in report.runs { state.collectors[run.collector]?.record(run.result, duration: run.duration) }
            polls.increment()
            pollDuration.set(report.duration)
            if report.failure == nil {
                up.set(to: 1.0)
                lastSuccess.set(to: report.time.timeIntervalSince1970)
            } else {
                pollFailures.increment()
                up.set(to: 0.0)
            }
            let reason = report.failure?.reason
            for (name, gauge) in lastFailure { gauge.set(to: name == reason ? 1.0 : 0.0) }
            if let probes = report.health { state.health?.record(probes) }
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

    /// Makes the series of exactly `collectors` exist (and the required one's, which is always
    /// on), removing those of collectors turned off.
    func setCollectors(_ collectors: [CollectorName], writer: UInt64) {
        state.withLock { state in
            guard !state.retired, writer == state.writer else { return }
            for (name, series) in state.collectors where !name.isRequired && !collectors.contains(name) {
                series.unregister()
                state.collectors[name] = nil
            }
            for name in collectors where state.collectors[name] == nil {
                state.collectors[name] = CollectorSeries(target: target, collector: name, families: families, registry: rendered)
            }
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
            state.collectors = [:]
            rendered.unregister(counters: [polls, pollFailures, connections], gauges: [up, pollDuration, lastSuccess] + Array(lastFailure.values))
            registries.release(target, from: rendered)
        }
    }
}
