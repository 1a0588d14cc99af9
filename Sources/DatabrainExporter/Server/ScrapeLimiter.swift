import Prometheus
import Synchronization

/// Bounds how many metrics responses are written at once, like promhttp's `MaxRequestsInFlight`,
/// and counts them by status like `promhttp_metric_handler_requests_total`.
///
/// A response is in flight from the moment it is chosen until its last byte has left (or the
/// client went away), so slow readers count: they are what would pile up buffers.
public final class ScrapeLimiter: Sendable {
    /// Most responses in flight at once; 0 means no limit.
    public let limit: Int
    private let inFlight = Atomic<Int>(0)
    private let inFlightGauge: CachedGauge
    private let served: CachedCounter
    private let rejected: CachedCounter
    private let failed: CachedCounter

    init(limit: Int, registry rendered: RenderedRegistry) {
        self.limit = limit
        inFlightGauge = rendered.makeGauge(MetricCatalog.handlerInFlight)
        served = rendered.makeCounter(MetricCatalog.handlerRequests, labels: [("code", "200")])
        rejected = rendered.makeCounter(MetricCatalog.handlerRequests, labels: [("code", "503")])
        failed = rendered.makeCounter(MetricCatalog.handlerRequests, labels: [("code", "500")])
    }

    /// Takes a slot, or returns nil (the caller answers 503) when `limit` responses are in flight.
    func acquire() -> Slot? {
        let now = inFlight.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue
        guard limit == 0 || now <= limit else {
            inFlight.wrappingSubtract(1, ordering: .acquiringAndReleasing)
            rejected.increment()
            return nil
        }
        inFlightGauge.set(to: Double(now))
        return Slot(limiter: self)
    }

    /// One response in flight; `release` once it was written (or failed).
    struct Slot: Sendable {
        fileprivate let limiter: ScrapeLimiter

        func release(written: Bool) {
            let now = limiter.inFlight.wrappingSubtract(1, ordering: .acquiringAndReleasing).newValue
            limiter.inFlightGauge.set(to: Double(now))
            (written ? limiter.served : limiter.failed).increment()
        }
    }
}
