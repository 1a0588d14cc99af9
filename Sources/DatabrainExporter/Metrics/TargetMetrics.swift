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
    private var registry: PrometheusCollectorRegistry { rendered.registry }
    private let presence: DatasourcePresence
    private let up: Gauge
    private let added: Counter
    private let removed: Counter
    private let requestDuration: DurationHistogram
    private let failures: [RequestFailureReason: Counter]
    private let state: Mutex<State>
    private let polls: Counter
    private let pollFailures: Counter
    private let pollDuration: Gauge
    private let lastSuccess: Gauge
    private let connections: Counter

    /// What changes after creation, behind one lock so that retiring the target (a reload removed
    /// it) and recording a poll that was still finishing can never interleave: a late poll must not
    /// re-create series of a target that no longer exists.
    private struct State {
        var retired = false
        /// Created by the first successful poll: a 0 before it would read as "every datasource vanished".
        var datasources: Gauge?
        var codes: [Int: Counter]
        /// Present while health probing is on for the target.
        var health: HealthSeries?
    }

    init(target: String, registry rendered: RenderedRegistry, presence: DatasourcePresence) {
        self.target = target
        self.rendered = rendered
        let registry = rendered.registry
        defer { rendered.invalidate() }
        self.presence = presence
        let labels = [("target", target)]
        up = registry.makeGauge(descriptor: MetricCatalog.up, labels: labels)
        added = registry.makeCounter(descriptor: MetricCatalog.datasourceChanges, labels: labels + [("change", "added")])
        removed = registry.makeCounter(descriptor: MetricCatalog.datasourceChanges, labels: labels + [("change", "removed")])
        requestDuration = registry.makeDurationHistogram(descriptor: MetricCatalog.apiRequestDuration, labels: labels, buckets: Self.latencyBuckets)
        failures = Dictionary(uniqueKeysWithValues: RequestFailureReason.allCases.map { reason in
            (reason, registry.makeCounter(descriptor: MetricCatalog.apiRequestFailures, labels: labels + [("reason", reason.rawValue)]))
        })
        state = Mutex(State(codes: Dictionary(uniqueKeysWithValues: Self.preinitialisedCodes.map { code in
            (code, Self.makeCodeCounter(registry: registry, target: target, code: code))
        })))
        polls = registry.makeCounter(descriptor: MetricCatalog.polls, labels: labels)
        pollFailures = registry.makeCounter(descriptor: MetricCatalog.pollFailures, labels: labels)
        pollDuration = registry.makeGauge(descriptor: MetricCatalog.pollDuration, labels: labels)
        lastSuccess = registry.makeGauge(descriptor: MetricCatalog.lastSuccess, labels: labels)
        connections = registry.makeCounter(descriptor: MetricCatalog.apiConnectionsOpened, labels: labels)
    }

    private static func makeCodeCounter(registry: PrometheusCollectorRegistry, target: String, code: Int) -> Counter {
        registry.makeCounter(descriptor: MetricCatalog.apiRequests, labels: [("target", target), ("code", String(code))])
    }

    /// Records one HTTP exchange.
    public func record(_ request: RequestRecord) {
        defer { rendered.invalidate() }
        state.withLock { state in
            guard !state.retired else { return }
            requestDuration.record(request.duration)
            if let status = request.status {
                if state.codes[status] == nil {
                    state.codes[status] = Self.makeCodeCounter(registry: registry, target: target, code: status)
                }
                state.codes[status]!.increment()
            }
            if let reason = request.failure { failures[reason]?.increment() }
            if request.connectionsOpened > 0 { connections.increment(by: Int64(request.connectionsOpened)) }
        }
    }

    /// Records a successful poll; returns the number of unique datasources.
    @discardableResult
    public func pollSucceeded(names: [String], duration: Duration, at time: Date) -> Int {
        let unique = Set(names)
        defer { rendered.invalidate() }
        state.withLock { state in
            guard !state.retired else { return }
            // The first poll only sets the baseline: starting the exporter adds nothing.
            if let changes = presence.replace(target: target, with: unique) {
                if changes.added > 0 { added.increment(by: Int64(changes.added)) }
                if changes.removed > 0 { removed.increment(by: Int64(changes.removed)) }
            }
            polls.increment()
            if state.datasources == nil {
                state.datasources = registry.makeGauge(descriptor: MetricCatalog.datasources, labels: [("target", target)])
            }
            state.datasources!.set(to: Double(unique.count))
            up.set(to: 1.0)
            pollDuration.set(duration)
            lastSuccess.set(to: time.timeIntervalSince1970)
        }
        return unique.count
    }

    /// Records a failed poll: `up` drops to 0, the datasource list and count stay as they were.
    public func pollFailed(duration: Duration) {
        defer { rendered.invalidate() }
        state.withLock { state in
            guard !state.retired else { return }
            polls.increment()
            pollFailures.increment()
            up.set(to: 0.0)
            pollDuration.set(duration)
        }
    }

    /// Creates the `databrain_health_*` series, or removes them when probing is off (a reload may
    /// turn it off for a running target).
    public func setHealthProbing(_ enabled: Bool) {
        defer { rendered.invalidate() }
        state.withLock { state in
            guard !state.retired else { return }
            if enabled, state.health == nil {
                state.health = HealthSeries(target: target, registry: registry)
            } else if !enabled {
                state.health?.unregister()
                state.health = nil
            }
        }
    }

    /// Records a round of health probes (ignored while probing is off).
    public func recordHealth(_ probes: [HealthProber.Probe]) {
        defer { rendered.invalidate() }
        state.withLock { state in
            guard !state.retired else { return }
            state.health?.record(probes)
        }
    }

    /// Removes every series of this target (a reload removed it); later records are ignored.
    public func unregister() {
        defer { rendered.invalidate() }
        state.withLock { state in
            state.retired = true
            state.health?.unregister()
            state.health = nil
            for gauge in [up, pollDuration, lastSuccess] + [state.datasources].compactMap({ $0 }) { registry.unregisterGauge(gauge) }
            for counter in [added, removed, polls, pollFailures, connections] + Array(failures.values) + Array(state.codes.values) {
                registry.unregisterCounter(counter)
            }
            registry.unregisterDurationHistogram(requestDuration)
            presence.remove(target: target)
        }
    }
}

extension Gauge {
    fileprivate func set(_ duration: Duration) { set(to: duration.seconds) }
}
