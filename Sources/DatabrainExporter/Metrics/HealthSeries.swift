import Prometheus

/// The `databrain_health_*` series of one target: what Databrain's own `/health/live` and
/// `/health/ready` said at the last probe. They exist only while health probing is on for the
/// target; ``TargetMetrics`` owns them, behind its lock.
struct HealthSeries {
    private let rendered: RenderedRegistry
    private let target: String
    private let live: CachedGauge
    private let ready: CachedGauge
    private let durations: [HealthEndpoint: CachedGauge]
    private let failures: [HealthEndpoint: [RequestFailureReason: CachedCounter]]
    /// A state set per check in the last valid `/health/ready` answer: one gauge per state.
    private var checks: [String: [HealthCheckState: CachedGauge]] = [:]

    init(target: String, registry rendered: RenderedRegistry) {
        self.rendered = rendered
        self.target = target
        let labels = [("target", target)]
        live = rendered.makeGauge(MetricCatalog.healthLive, labels: labels)
        ready = rendered.makeGauge(MetricCatalog.healthReady, labels: labels)
        durations = Dictionary(uniqueKeysWithValues: HealthEndpoint.allCases.map { endpoint in
            (endpoint, rendered.makeGauge(MetricCatalog.healthProbeDuration, labels: labels + [("endpoint", endpoint.rawValue)]))
        })
        // Every reason at 0 from the start, as the API's failure counters.
        failures = Dictionary(uniqueKeysWithValues: HealthEndpoint.allCases.map { endpoint in
            (endpoint, Dictionary(uniqueKeysWithValues: RequestFailureReason.allCases.map { reason in
                (reason, rendered.makeCounter(MetricCatalog.healthProbeFailures,
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
            rendered.unregister(gauges: Array(gauges.values))
            checks[name] = nil
        }
        for (name, state) in current {
            if checks[name] == nil {
                checks[name] = Dictionary(uniqueKeysWithValues: HealthCheckState.allCases.map { state in
                    (state, rendered.makeGauge(MetricCatalog.healthCheckStatus,
                                               labels: [("target", target), ("check", name), ("status", state.rawValue)]))
                })
            }
            for (candidate, gauge) in checks[name]! { gauge.set(to: candidate == state ? 1 : 0) }
        }
    }

    /// Removes every series (health turned off for the target, or the target removed).
    mutating func unregister() {
        replaceChecks(with: [:])
        rendered.unregister(counters: failures.values.flatMap(\.values), gauges: [live, ready] + Array(durations.values))
    }
}
