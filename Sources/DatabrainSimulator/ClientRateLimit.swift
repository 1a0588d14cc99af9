import DocumentedAPI
import Foundation
import Locking

/// Databrain's rate limit in the wire shape of express-rate-limit, the Express middleware its docs
/// point to ("standard rate limit headers"): per client IP (the `X-Client-IP` header first, as
/// Databrain keys it, else the peer address), every endpoint counted, a **fixed** window that
/// starts at the client's first request; rejected requests count too. Every answer carries the
/// headers of the configured draft; past the limit the answer is 429 with the plain-text body
/// `Too many requests, please try again later.` and a `Retry-After` of the seconds until the
/// window resets. Off until configured (`--rate-limit`, or `PUT /_sim/rate_limit`).
final class ClientRateLimit: Sendable {
    /// Which headers announce the limit, as express-rate-limit's `standardHeaders` and `legacyHeaders` choose.
    typealias Headers = RateLimitAnnouncement.Form

    struct Settings: Sendable, Equatable {
        var limit: Int
        var window: Duration
        /// Seconds to send in `Retry-After` instead of the time until the window resets.
        var retryAfter: Int?
        var headers: Headers = .draft6
    }

    /// What the limiter says about one request: the headers to add to its answer, and the 429 to
    /// send instead of it when the client is over the limit.
    struct Decision {
        var headers: [(String, String)] = []
        var limited: ListAPI.Reply?
    }

    private struct Window {
        var start: ContinuousClock.Instant
        var hits: Int
    }

    private struct State {
        var settings: Settings?
        var windows: [String: Window] = [:]
        var limited = 0
    }

    private let state: Locked<State>

    init(_ settings: Settings?) {
        state = Locked(State(settings: settings))
    }

    /// Replaces the settings (nil: no limit) and forgets what was counted.
    func set(_ settings: Settings?) {
        state.withLock { $0 = State(settings: settings, limited: $0.limited) }
    }

    /// Counts a request from `client`.
    func admit(client: String) -> Decision {
        let now = ContinuousClock.now
        let counted = state.withLock { state -> (Settings, hits: Int, resetSeconds: Int)? in
            guard let settings = state.settings else { return nil }
            var window = state.windows[client] ?? Window(start: now, hits: 0)
            if now >= window.start + settings.window { window = Window(start: now, hits: 0) }
            window.hits += 1
            state.windows[client] = window
            if window.hits > settings.limit { state.limited += 1 }
            let left = now.duration(to: window.start + settings.window)
            return (settings, window.hits, max(0, Int(Self.seconds(left).rounded(.up))))
        }
        guard let (settings, hits, resetSeconds) = counted else { return Decision() }
        let announcement = RateLimitAnnouncement(limit: settings.limit, windowSeconds: Int(Self.seconds(settings.window).rounded(.up)),
                                                 remaining: max(0, settings.limit - hits), resetSeconds: resetSeconds)
        var decision = Decision(headers: announcement.headers(settings.headers, nowUnixSeconds: Date().timeIntervalSince1970))
        if hits > settings.limit {
            decision.limited = ListAPI.Reply(status: 429, headers: [("Content-Type", "text/html; charset=utf-8"),
                                                                    ("Retry-After", "\(settings.retryAfter ?? resetSeconds)")] + decision.headers,
                                             body: RateLimitAnnouncement.tooManyRequestsBody)
        }
        return decision
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Requests answered 429 so far.
    var limitedCount: Int { state.withLock { $0.limited } }
}
