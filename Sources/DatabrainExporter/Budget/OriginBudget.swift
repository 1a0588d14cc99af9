// Budget/ owns how many requests each origin (scheme, host and port) receives from the exporter:
// one budget per origin that every request of every target passes through, health probes
// included, and the pause a 429 or 503 imposes on all of them. Databrain limits per client IP, so
// targets of one origin share one allowance. It wraps HTTPTransport and reports through
// OriginMetrics; it knows nothing of Databrain's paths, pagination or the poll schedule.

import FoundationEssentials
import Logging
import Locking

/// One origin's budget: requests spaced to at most the effective budget, handed out in arrival
/// order, and a pause that every request waits out after a 429 (or a 503 with `Retry-After`), or
/// once the server says no request is left in its window.
///
/// The effective budget is the lower of the configured one and what the server announces
/// (``RateLimitHeaders``), less a margin: ``serverShare`` of the announced rate, so other clients
/// behind the same client IP keep a fifth of the window. The server's `Remaining` is spent
/// locally too: each request takes one, and once only that fifth of the window's limit is left
/// (or nothing, where the limit is not announced) every request of the origin waits for the
/// announced reset, as after a `Retry-After`, so a 429 is never the first sign of a neighbour.
///
/// The spacing is the generic cell rate algorithm: each request reserves the next slot, slots lie
/// 60/N seconds apart, and after a quiet spell up to a tenth of N may go at once. In any window of
/// W seconds at most N/10 + N·W/60 requests leave, and slots are taken first come, first served,
/// so no target starves while others poll.
public final class OriginBudget: Sendable {
    /// The origin, `scheme://host:port`.
    public let origin: String
    private let metrics: OriginMetrics
    private let logger: Logger
    private let clock: any PollClock
    private let state: Locked<State>

    /// The share of the server's announced rate the exporter takes: the rest is left to other
    /// clients behind the same IP, and covers the burst the spacing allows.
    public static let serverShare = 0.8

    private struct State {
        /// The budget's period: a minute (tests compress it).
        let period: Duration
        /// The configured budget.
        var configured: Int
        /// The server's announced rate, requests per minute, once an answer said it.
        var announcedPerMinute: Double?
        /// The server's announced limit per window (for the burst).
        var announcedLimit: Int?
        /// Requests the server said are left in its current window, less those sent since, and
        /// when that window resets; nil when unknown or past.
        var allowance: Int?
        var allowanceResets: ContinuousClock.Instant?

        /// The effective budget: the configured one, or ``serverShare`` of the announced rate.
        var requestsPerMinute: Int {
            guard let announced = announcedPerMinute else { return configured }
            return max(1, min(configured, Int((announced * OriginBudget.serverShare).rounded(.down))))
        }
        /// Requests of the server's window left to other clients behind the same IP: the pause
        /// starts when no more than these remain.
        var reserve: Int {
            guard let limit = announcedLimit else { return 0 }
            return limit - Int((Double(limit) * OriginBudget.serverShare).rounded(.down))
        }
        /// Whether the server's announcement is what limits the budget.
        var fittedToServer: Bool { requestsPerMinute < configured }
        /// The shortest interval among the origin's targets: the base of the backoff after a 429
        /// without `Retry-After`, as each target's own schedule backs off.
        var backoffBase: Duration
        /// When the next slot is theoretically due (GCRA's TAT).
        var nextSlot: ContinuousClock.Instant
        var pausedUntil: ContinuousClock.Instant?
        var consecutiveLimits = 0

        var spacing: Duration { period / requestsPerMinute }
        /// How far ahead of the schedule a request may go: a burst of a tenth of the budget, and
        /// never more than a tenth of the server's window limit.
        var burstTolerance: Duration {
            let burst = min(max(1, requestsPerMinute / 10), max(1, (announcedLimit ?? Int.max) / 10))
            return spacing * (burst - 1)
        }
    }

    init(origin: String, requestsPerMinute: Int, backoffBase: Duration, metrics: OriginMetrics, period: Duration = .seconds(60),
         logger: Logger = .silent, clock: any PollClock = SystemPollClock()) {
        self.origin = origin
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        state = Locked(State(period: period, configured: max(1, requestsPerMinute), backoffBase: backoffBase, nextSlot: clock.now))
        metrics.setBudget(requestsPerMinute: max(1, requestsPerMinute))
        metrics.setLimitedUntil(0)
    }

    /// Applies a reloaded budget and backoff base; reservations already made stand.
    func update(requestsPerMinute: Int, backoffBase: Duration) {
        let effective = state.withLock { state in
            state.configured = max(1, requestsPerMinute)
            state.backoffBase = backoffBase
            return state.requestsPerMinute
        }
        metrics.setBudget(requestsPerMinute: effective)
    }

    /// What an answer announced about the server's limit (every answer, 429s included): fits the
    /// budget to the announced rate, and spends the announced remaining requests of the window.
    /// Logs one line when the announcement starts, changes or stops lowering the budget.
    func announced(_ headers: RateLimitHeaders) {
        guard !headers.isEmpty else { return }
        let now = clock.now
        let (before, after, configured, fitted) = state.withLock { state in
            let before = state.fittedToServer ? state.requestsPerMinute : nil
            if let perMinute = headers.perMinute { state.announcedPerMinute = perMinute }
            if let limit = headers.limit { state.announcedLimit = limit }
            if let remaining = headers.remaining {
                state.allowance = remaining
                state.allowanceResets = headers.reset.map { now + $0 }
            }
            return (before, state.requestsPerMinute, state.configured, state.fittedToServer)
        }
        metrics.setAnnounced(headers)
        metrics.setBudget(requestsPerMinute: after)
        if fitted, before != after {
            logger.info("the server's announced rate limit lowers the request budget", metadata: [
                "origin": "\(origin)", "announced_limit": "\(headers.limit.map(String.init) ?? "?")",
                "announced_window": "\(headers.window.map(GoDuration.format) ?? "?")",
                "budget_per_minute": "\(after)", "configured_per_minute": "\(configured)",
            ])
        } else if !fitted, before != nil {
            logger.info("the server's announced rate limit no longer lowers the request budget", metadata: [
                "origin": "\(origin)", "budget_per_minute": "\(after)",
            ])
        }
    }

    /// Waits for the next slot of this origin and for any pause; false if the task was cancelled
    /// while waiting (the request must not be sent). The wait is recorded.
    func acquire() async -> Bool {
        while true {
            let now = clock.now
            let (until, reserved): (ContinuousClock.Instant, Bool) = state.withLock { state in
                if let paused = state.pausedUntil {
                    if paused > now { return (paused, false) }
                    state.pausedUntil = nil
                    metrics.setLimitedUntil(0)
                }
                // The server's window: nothing left means waiting for its reset, as after a
                // Retry-After; a window whose reset has passed starts afresh.
                if let resets = state.allowanceResets, resets <= now {
                    state.allowance = nil
                    state.allowanceResets = nil
                }
                if let allowance = state.allowance, allowance <= state.reserve, let resets = state.allowanceResets {
                    state.pausedUntil = resets
                    metrics.setLimitedUntil(Date().timeIntervalSince1970 + now.duration(to: resets).seconds)
                    return (resets, false)
                }
                let due = max(state.nextSlot, now)
                state.nextSlot = due + state.spacing
                if let allowance = state.allowance { state.allowance = allowance - 1 }
                return (max(now, due - state.burstTolerance), true)
            }
            if until > now, !(await wait(until: until, from: now)) { return false }
            // A pause that began while this request slept takes precedence over its slot.
            if reserved && !isPaused(at: clock.now) { return true }
        }
    }

    /// Sleeps until `until`, adding the time to the wait counter at least once a second, so a long
    /// pause shows while it lasts, not only when it ends; false if cancelled.
    private func wait(until: ContinuousClock.Instant, from start: ContinuousClock.Instant) async -> Bool {
        var cursor = start
        while cursor < until {
            let cancelled: Bool
            do {
                try await clock.sleep(until: min(until, cursor + .seconds(1)))
                cancelled = false
            } catch {
                cancelled = true
            }
            let woke = clock.now
            metrics.recordWait(cursor.duration(to: woke))
            cursor = woke
            if cancelled { return false }
        }
        return true
    }

    /// A 429, or a 503 with `Retry-After`: every target of the origin waits until `retryAfter`
    /// has passed, or without it for the capped backoff (doubling with each consecutive limit).
    /// After the pause, requests resume one slot apart, not in a burst.
    func limited(retryAfter: Duration?) {
        let now = clock.now
        let pause: Duration = state.withLock { state in
            state.consecutiveLimits += 1
            let pause = retryAfter.map { min($0, BackoffRule.retryAfterCap) } ?? BackoffRule.delay(base: state.backoffBase, count: state.consecutiveLimits)
            let until = max(state.pausedUntil ?? now, now + pause)
            state.pausedUntil = until
            state.nextSlot = max(state.nextSlot, until + state.burstTolerance)
            return now.duration(to: until)
        }
        metrics.setLimitedUntil(Date().timeIntervalSince1970 + pause.seconds)
    }

    /// Records what the configured schedules ask of the origin.
    func setNeeded(perMinute: Double) {
        metrics.setNeeded(perMinute: perMinute)
    }

    /// No target uses the origin any more: its series go.
    func retire() {
        metrics.unregister()
    }

    /// Any other answer: the next limit without `Retry-After` starts the backoff from its base.
    func answered() {
        state.withLock { $0.consecutiveLimits = 0 }
    }

    /// Whether every request of the origin must wait now (a `Retry-After`, or the server's window spent).
    func isPaused() -> Bool {
        isPaused(at: clock.now)
    }

    private func isPaused(at now: ContinuousClock.Instant) -> Bool {
        state.withLock { state in (state.pausedUntil.map { $0 > now }) ?? false }
    }
}
