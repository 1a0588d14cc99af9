/// What calls for waiting, and how long, in one place for a target's schedule (``PollSchedule``)
/// and its origin's budget (``OriginBudget``), so the two can never disagree.
enum BackoffRule {
    /// The longest `Retry-After` honoured; a larger value is treated as this.
    static let retryAfterCap: Duration = .seconds(3600)

    /// The whole origin pauses: a 429, or a 503 that says when to come back. A 503 without
    /// `Retry-After` is an answer (`/health/ready` says "not ready" that way), not a limit.
    static func pausesTheOrigin(status: Int, retryAfter: Duration?) -> Bool {
        status == 429 || (status == 503 && retryAfter != nil)
    }

    /// The target backs off: the API is limiting it (429) or failing (5xx).
    static func backsOff(status: Int) -> Bool {
        status == 429 || (500...599).contains(status)
    }

    /// The longest backoff for a schedule of `interval`: 10 intervals or 10 minutes, whichever is
    /// shorter, never below the interval.
    static func cap(interval: Duration) -> Duration {
        max(interval, min(interval * 10, .seconds(600)))
    }

    /// The `count`th consecutive backoff from `base`: doubled each time, up to ``cap(interval:)``.
    static func delay(base: Duration, count: Int) -> Duration {
        min(cap(interval: base), base * Double(1 << min(max(count, 0), 30)))
    }
}
