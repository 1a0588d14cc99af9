import Locking
@testable import DatabrainExporter

/// Databrain's per-client rate limit in front of a scripted API: at most `limit` requests in any
/// sliding `window`, every endpoint counted; over it, 429 with `Retry-After`.
final class SlidingWindowLimit: Sendable {
    let limit: Int
    let window: Duration
    let retryAfterSeconds: Int
    private let state = Locked<(admitted: [ContinuousClock.Instant], limited: Int)>(([], 0))
    private let clock: any PollClock

    init(limit: Int, per window: Duration, retryAfterSeconds: Int = 1, clock: any PollClock = SystemPollClock()) {
        self.limit = limit
        self.window = window
        self.retryAfterSeconds = retryAfterSeconds
        self.clock = clock
    }

    /// Requests answered 429 so far.
    var limitedCount: Int { state.withLock { $0.limited } }

    /// `inner`'s answers, or 429 for a request over the limit.
    func handler(wrapping inner: @escaping ScriptedAPI.Handler) -> ScriptedAPI.Handler {
        { request in
            let now = self.clock.now
            let admitted: Bool = self.state.withLock { state in
                state.admitted.removeAll { $0 <= now - self.window }
                guard state.admitted.count < self.limit else {
                    state.limited += 1
                    return false
                }
                state.admitted.append(now)
                return true
            }
            guard admitted else {
                return .success(ScriptedAPI.json(429, #"{"error":{"code":"RATE_LIMITED","message":"Too many requests"}}"#,
                                                 headers: [("Retry-After", String(self.retryAfterSeconds))]))
            }
            return inner(request)
        }
    }
}
