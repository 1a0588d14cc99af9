import Locking

/// The series of one origin (`scheme://host:port`, never a path or a token): its request budget,
/// the time requests waited for it, the end of the pause a 429 or 503 imposed, and what the server
/// announces of its rate limit (absent until an answer announces it).
public final class OriginMetrics: Sendable {
    /// The `origin` label value.
    public let origin: String
    private let rendered: RenderedRegistry
    private let waited: CachedCounter
    private let budget: CachedGauge
    private let needed: CachedGauge
    private let limitedUntil: CachedGauge
    /// `databrain_api_rate_limit_{requests,window_seconds,remaining}`, made on first announcement.
    private let announced = Locked<(limit: CachedGauge?, window: CachedGauge?, remaining: CachedGauge?)>((nil, nil, nil))

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

    /// What the server announced on its last answer that said anything: each value that answer had.
    public func setAnnounced(_ headers: RateLimitHeaders) {
        let labels = [("origin", origin)]
        announced.withLock { gauges in
            if let limit = headers.limit {
                if gauges.limit == nil { gauges.limit = rendered.makeGauge(MetricCatalog.rateLimitRequests, labels: labels) }
                gauges.limit?.set(to: Double(limit))
            }
            if let window = headers.window {
                if gauges.window == nil { gauges.window = rendered.makeGauge(MetricCatalog.rateLimitWindow, labels: labels) }
                gauges.window?.set(window)
            }
            if let remaining = headers.remaining {
                if gauges.remaining == nil { gauges.remaining = rendered.makeGauge(MetricCatalog.rateLimitRemaining, labels: labels) }
                gauges.remaining?.set(to: Double(remaining))
            }
        }
    }

    /// Removes every series of the origin (no configured target uses it any more).
    public func unregister() {
        let announcedGauges = announced.withLock { gauges in
            defer { gauges = (nil, nil, nil) }
            return [gauges.limit, gauges.window, gauges.remaining].compactMap { $0 }
        }
        rendered.unregister(counters: [waited], gauges: [budget, needed, limitedUntil] + announcedGauges)
    }
}
