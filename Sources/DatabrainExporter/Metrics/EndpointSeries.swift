/// The request series of one target's one endpoint (`datasource`, `workspace`, …): responses by
/// status code, failures by reason, credential rejections and latency, each labelled
/// `target, endpoint` first. Made pre-initialised (codes 200, 400, 401, 429, 500 and every failure
/// reason at 0) the first time the endpoint is polled, so `rate()` and the alerts work from the
/// first scrape. ``TargetMetrics`` owns them behind its lock.
struct EndpointSeries {
    private let rendered: RenderedRegistry
    private let labels: [(String, String)]
    private let duration: CachedDurationHistogram
    private let failures: [RequestFailureReason: CachedCounter]
    private let authErrors: CachedCounter
    private let itemsSkipped: CachedCounter
    private var codes: [Int: CachedCounter]

    init(target: String, endpoint: String, registry rendered: RenderedRegistry) {
        self.rendered = rendered
        labels = [("target", target), ("endpoint", endpoint)]
        duration = rendered.makeDurationHistogram(MetricCatalog.apiRequestDuration, labels: labels, buckets: TargetMetrics.latencyBuckets)
        failures = Dictionary(uniqueKeysWithValues: RequestFailureReason.allCases.map { [labels] reason in
            (reason, rendered.makeCounter(MetricCatalog.apiRequestFailures, labels: labels + [("reason", reason.rawValue)]))
        })
        authErrors = rendered.makeCounter(MetricCatalog.apiAuthErrors, labels: labels)
        itemsSkipped = rendered.makeCounter(MetricCatalog.apiItemsSkipped, labels: labels)
        codes = [:]
        for code in TargetMetrics.preinitialisedCodes { codes[code] = makeCodeCounter(code) }
    }

    /// Records one exchange.
    mutating func record(_ request: RequestRecord) {
        duration.record(request.duration)
        if let status = request.status {
            if codes[status] == nil { codes[status] = makeCodeCounter(status) }
            codes[status]!.increment()
        }
        if let reason = request.failure { failures[reason]?.increment() }
        if request.rejectedCredentials { authErrors.increment() }
        if request.itemsSkipped > 0 { itemsSkipped.increment(by: Int64(request.itemsSkipped)) }
    }

    /// Removes every series of the endpoint.
    func unregister() {
        rendered.unregister(counters: Array(failures.values) + Array(codes.values) + [authErrors, itemsSkipped], histograms: [duration])
    }

    private func makeCodeCounter(_ code: Int) -> CachedCounter {
        rendered.makeCounter(MetricCatalog.apiRequests, labels: labels + [("code", String(code))])
    }
}
