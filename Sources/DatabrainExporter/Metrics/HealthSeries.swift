import Prometheus

/// The `databrain_health_*` series of one target: what Databrain's own `/health/live` and
/// `/health/ready` said at the last probe. They exist only while health probing is on for the
/// target; ``TargetMetrics`` owns them, behind its lock.
struct HealthSeries {
    private let registry: PrometheusCollectorRegistry
    private let target: String
    private let live: Gauge
    private let ready: Gauge
    private let durations: [HealthEndpoint: Gauge]
    private let failures: [HealthEndpoint: [RequestFailureReason: Counter]]
    /// A state set per check in the last valid `/health/ready` answer: one gauge per state.
    private var checks: [String: [HealthCheckState: Gauge]] = [:]

    init(target: String, registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.target = target
        let labels = [("target", target)]
        live = registry.makeGauge(descriptor: MetricCatalog.healthLive, labels: labels)
        ready = registry.makeGauge(descriptor: MetricCatalog.healthReady, labels: labels)
        durations = Dictionary(uniqueKeysWithValues: HealthEndpoint.allCases.map { endpoint in
            (endpoint, registry.makeGauge(descriptor: MetricCatalog.healthProbeDuration, labels: labels + [("endpoint", endpoint.rawValue)]))
        })
        // Every reason at 0 from the start, as the API's failure counters.
        failures = Dictionary(uniqueKeysWithValues: HealthEndpoint.allCases.map { endpoint in
            (endpoint, Dictionary(uniqueKeysWithValues: RequestFailureReason.allCases.map { reason in
                (reason, registry.makeCounter(descriptor: MetricCatalog.healthProbeFailures,
                                              labels: labels + [("endpoint", endpoint.rawValue), ("reason", reason.rawValue)]))
            }))
        })
    }

    /// Records one round of probes. A failed `ready` probe removes the checks: an answer that did
    /// not come is not passed off as the last one.
    mutating func record(_ probes: [HealthProber.Probe]) {
        for probe in probes {
            durations[probe.endpoint]?.set(to: probe.duration.seconds)
            let gauge = probe.endpoint == .live ? live : ready
            switch probe.result {
            case .success(let answer):
                gauge.set(to: answer.healthy ? 1 : 0)
                if probe.endpoint == .ready { replaceChecks(with: answer.checks) }
            case .failure(let failure):
                gauge.set(to: 0)
                failures[probe.endpoint]?[failure.reason]?.increment()
                if probe.endpoint == .ready { replaceChecks(with: [:]) }
            }
        }
    }

    private mutating func replaceChecks(with current: [String: HealthCheckState]) {
        for (name, gauges) in checks where current[name] == nil {
            for gauge in gauges.values { registry.unregisterGauge(gauge) }
            checks[name] = nil
        }
        for (name, state) in current {
            if checks[name] == nil {
                checks[name] = Dictionary(uniqueKeysWithValues: HealthCheckState.allCases.map { state in
                    (state, registry.makeGauge(descriptor: MetricCatalog.healthCheckStatus,
                                               labels: [("target", target), ("check", name), ("status", state.rawValue)]))
                })
            }
            for (candidate, gauge) in checks[name]! { gauge.set(to: candidate == state ? 1 : 0) }
        }
    }

    /// Removes every series (health turned off for the target, or the target removed).
    mutating func unregister() {
        replaceChecks(with: [:])
        for gauge in [live, ready] + Array(durations.values) { registry.unregisterGauge(gauge) }
        for counter in failures.values.flatMap(\.values) { registry.unregisterCounter(counter) }
    }
}
