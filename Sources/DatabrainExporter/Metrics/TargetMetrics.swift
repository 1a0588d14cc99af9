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
    private let registry: PrometheusCollectorRegistry
    private let presence: DatasourcePresence
    private let up: Gauge
    private let datasources: Gauge
    private let added: Counter
    private let removed: Counter
    private let requestDuration: DurationHistogram
    private let failures: [RequestFailureReason: Counter]
    private let codes: Mutex<[Int: Counter]>
    private let polls: Counter
    private let pollFailures: Counter
    private let pollDuration: Gauge
    private let lastSuccess: Gauge
    private let connections: Counter

    init(target: String, registry: PrometheusCollectorRegistry, presence: DatasourcePresence) {
        self.target = target
        self.registry = registry
        self.presence = presence
        let labels = [("target", target)]
        up = registry.makeGauge(name: "databrain_up", labels: labels, help: "1 if the last poll of the target fetched the complete datasource list, 0 if it failed (updated by the poller, not at scrape time).")
        datasources = registry.makeGauge(name: "databrain_datasources", labels: labels, help: "Datasources (unique names) in the last successful poll of the target; kept through failed polls.")
        added = registry.makeCounter(name: "databrain_datasource_changes_total", labels: labels + [("change", "added")], help: "Datasources added or removed between successive successful polls.")
        removed = registry.makeCounter(name: "databrain_datasource_changes_total", labels: labels + [("change", "removed")], help: "Datasources added or removed between successive successful polls.")
        requestDuration = registry.makeDurationHistogram(name: "databrain_api_request_duration_seconds", labels: labels, buckets: Self.latencyBuckets, help: "Latency of each HTTP request to the Databrain API (one per page), as measured by the poller.")
        failures = Dictionary(uniqueKeysWithValues: RequestFailureReason.allCases.map { reason in
            (reason, registry.makeCounter(name: "databrain_api_request_failures_total", labels: labels + [("reason", reason.rawValue)], help: "Requests to the Databrain API that gave no usable response, by reason, counted by the background poller."))
        })
        codes = Mutex(Dictionary(uniqueKeysWithValues: Self.preinitialisedCodes.map { code in
            (code, Self.makeCodeCounter(registry: registry, target: target, code: code))
        }))
        polls = registry.makeCounter(name: "databrain_polls_total", labels: labels, help: "Polls of the target attempted by the background poller (each fetches every page).")
        pollFailures = registry.makeCounter(name: "databrain_poll_failures_total", labels: labels, help: "Polls of the target that failed to fetch the complete datasource list.")
        pollDuration = registry.makeGauge(name: "databrain_poll_duration_seconds", labels: labels, help: "Duration of the last poll of the target, all pages included.")
        lastSuccess = registry.makeGauge(name: "databrain_last_success_timestamp_seconds", labels: labels, help: "Unix time of the last successful poll of the target (0 before the first).")
        connections = registry.makeCounter(name: "databrain_api_connections_opened_total", labels: labels, help: "TCP connections opened to the Databrain API; stays flat while the kept-alive connection is reused.")
    }

    private static func makeCodeCounter(registry: PrometheusCollectorRegistry, target: String, code: Int) -> Counter {
        registry.makeCounter(name: "databrain_api_requests_total", labels: [("target", target), ("code", String(code))], help: "HTTP responses from the Databrain API by status code, counted by the background poller (not at scrape time).")
    }

    /// Records one HTTP exchange.
    public func record(_ request: RequestRecord) {
        requestDuration.record(request.duration)
        if let status = request.status {
            let counter = codes.withLock { codes in
                if let existing = codes[status] { return existing }
                let created = Self.makeCodeCounter(registry: registry, target: target, code: status)
                codes[status] = created
                return created
            }
            counter.increment()
        }
        if let reason = request.failure { failures[reason]?.increment() }
        if request.connectionsOpened > 0 { connections.increment(by: Int64(request.connectionsOpened)) }
    }

    /// Records a successful poll; returns the number of unique datasources.
    @discardableResult
    public func pollSucceeded(names: [String], duration: Duration, at time: Date) -> Int {
        let unique = Set(names)
        // The first poll only sets the baseline: starting the exporter adds nothing.
        if let changes = presence.replace(target: target, with: unique) {
            if changes.added > 0 { added.increment(by: Int64(changes.added)) }
            if changes.removed > 0 { removed.increment(by: Int64(changes.removed)) }
        }
        polls.increment()
        datasources.set(to: Double(unique.count))
        up.set(to: 1.0)
        pollDuration.set(duration)
        lastSuccess.set(to: time.timeIntervalSince1970)
        return unique.count
    }

    /// Records a failed poll: `up` drops to 0, the datasource list and count stay as they were.
    public func pollFailed(duration: Duration) {
        polls.increment()
        pollFailures.increment()
        up.set(to: 0.0)
        pollDuration.set(duration)
    }

    /// Removes every series of this target (the target was removed from the configuration).
    public func unregister() {
        for gauge in [up, datasources, pollDuration, lastSuccess] { registry.unregisterGauge(gauge) }
        for counter in [added, removed, polls, pollFailures, connections] + Array(failures.values) { registry.unregisterCounter(counter) }
        for counter in codes.withLock({ Array($0.values) }) { registry.unregisterCounter(counter) }
        registry.unregisterDurationHistogram(requestDuration)
        presence.remove(target: target)
    }
}

extension Gauge {
    fileprivate func set(_ duration: Duration) {
        let parts = duration.components
        set(to: Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
    }
}
