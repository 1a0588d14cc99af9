/// The series of one origin (`scheme://host:port`, never a path or a token): its request budget,
/// the time requests waited for it, and the end of the pause a 429 or 503 imposed.
public final class OriginMetrics: Sendable {
    /// The `origin` label value.
    public let origin: String
    private let rendered: RenderedRegistry
    private let waited: CachedCounter
    private let budget: CachedGauge
    private let needed: CachedGauge
    private let limitedUntil: CachedGauge

    init(origin: String, registry rendered: RenderedRegistry) {
        self.origin = origin
        self.rendered = rendered
        let labels = [("origin", origin)]
        waited = rendered.makeCounter(MetricCatalog.throttleWait, labels: labels)
        budget = rendered.makeGauge(MetricCatalog.requestBudget, labels: labels)
        needed = rendered.makeGauge(MetricCatalog.requestsNeeded, labels: labels)
        limitedUntil = rendered.makeGauge(MetricCatalog.rateLimitedUntil, labels: labels)
    }

    /// Adds time a request waited for the budget or a pause.
    public func recordWait(_ duration: Duration) {
        waited.increment(by: duration.seconds)
    }

    /// The configured budget, in requests per minute.
    public func setBudget(requestsPerMinute: Int) {
        budget.set(to: Double(requestsPerMinute))
    }

    /// What the configured targets' schedules ask of the origin, in requests per minute.
    public func setNeeded(perMinute: Double) {
        needed.set(to: perMinute)
    }

    /// The Unix time the current pause ends, 0 when there is none.
    public func setLimitedUntil(_ unixTime: Double) {
        limitedUntil.set(to: unixTime)
    }

    /// Removes every series of the origin (no configured target uses it any more).
    public func unregister() {
        rendered.unregister(counters: [waited], gauges: [budget, needed, limitedUntil])
    }
}
