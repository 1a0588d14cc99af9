import Synchronization

/// Databrain's rate limit as documented: per client IP, every endpoint counted, at most `limit`
/// requests in any sliding `window`; over it, 429 with Databrain's error body and, when set, a
/// `Retry-After`. Off until configured (`--rate-limit`, or `PUT /_sim/rate_limit`).
final class ClientRateLimit: Sendable {
    struct Settings: Sendable, Equatable {
        var limit: Int
        var window: Duration
        /// Seconds to announce in `Retry-After`; nil sends none (the docs do not promise one).
        var retryAfter: Int?
    }

    private struct State {
        var settings: Settings?
        /// When each admitted request of a client arrived, oldest first, within the window.
        var admitted: [String: [ContinuousClock.Instant]] = [:]
        var limited = 0
    }

    private let state: Mutex<State>

    init(_ settings: Settings?) {
        state = Mutex(State(settings: settings))
    }

    /// Replaces the settings (nil: no limit) and forgets what was counted.
    func set(_ settings: Settings?) {
        state.withLock { $0 = State(settings: settings, limited: $0.limited) }
    }

    /// Counts a request from `client`: nil to serve it, or the 429 to answer instead.
    func admit(client: String) -> ListAPI.Reply? {
        let now = ContinuousClock.now
        let retryAfter: Int?? = state.withLock { state in
            guard let settings = state.settings else { return nil }
            var times = state.admitted[client, default: []]
            times.removeAll { $0 <= now - settings.window }
            defer { state.admitted[client] = times }
            guard times.count >= settings.limit else {
                times.append(now)
                return nil
            }
            state.limited += 1
            return .some(settings.retryAfter)
        }
        guard let retryAfter else { return nil }
        var reply = ListAPI.Reply(status: 429, body: ListAPI.errorBody(status: 429))
        if let seconds = retryAfter { reply.headers.append(("Retry-After", String(seconds))) }
        return reply
    }

    /// Requests answered 429 so far.
    var limitedCount: Int { state.withLock { $0.limited } }
}
