// Budget/ owns how many requests each origin (scheme, host and port) receives from the exporter:
// one budget per origin that every request of every target passes through, health probes
// included, and the pause a 429 or 503 imposes on all of them. Databrain limits per client IP, so
// targets of one origin share one allowance. It wraps HTTPTransport and reports through
// OriginMetrics; it knows nothing of Databrain's paths, pagination or the poll schedule.

import FoundationEssentials
import Synchronization

/// One origin's budget: requests spaced to at most `requestsPerMinute`, handed out in arrival
/// order, and a pause that every request waits out after a 429 (or a 503 with `Retry-After`).
///
/// The spacing is the generic cell rate algorithm: each request reserves the next slot, slots lie
/// 60/N seconds apart, and after a quiet spell up to a tenth of N may go at once. In any window of
/// W seconds at most N/10 + N·W/60 requests leave, and slots are taken first come, first served,
/// so no target starves while others poll.
public final class OriginBudget: Sendable {
    /// The origin, `scheme://host:port`.
    public let origin: String
    private let metrics: OriginMetrics
    private let state: Mutex<State>

    private struct State {
        /// The budget's period: a minute (tests compress it).
        let period: Duration
        var requestsPerMinute: Int
        /// The shortest interval among the origin's targets: the base of the backoff after a 429
        /// without `Retry-After`, as each target's own schedule backs off.
        var backoffBase: Duration
        /// When the next slot is theoretically due (GCRA's TAT).
        var nextSlot: ContinuousClock.Instant
        var pausedUntil: ContinuousClock.Instant?
        var consecutiveLimits = 0

        var spacing: Duration { period / requestsPerMinute }
        /// How far ahead of the schedule a request may go: a burst of a tenth of the budget.
        var burstTolerance: Duration { spacing * (max(1, requestsPerMinute / 10) - 1) }
    }

    init(origin: String, requestsPerMinute: Int, backoffBase: Duration, metrics: OriginMetrics, period: Duration = .seconds(60)) {
        self.origin = origin
        self.metrics = metrics
        state = Mutex(State(period: period, requestsPerMinute: max(1, requestsPerMinute), backoffBase: backoffBase, nextSlot: .now))
        metrics.setBudget(requestsPerMinute: max(1, requestsPerMinute))
        metrics.setLimitedUntil(0)
    }

    /// Applies a reloaded budget and backoff base; reservations already made stand.
    func update(requestsPerMinute: Int, backoffBase: Duration) {
        state.withLock { state in
            state.requestsPerMinute = max(1, requestsPerMinute)
            state.backoffBase = backoffBase
        }
        metrics.setBudget(requestsPerMinute: max(1, requestsPerMinute))
    }

    /// The configured budget.
    public var requestsPerMinute: Int { state.withLock { $0.requestsPerMinute } }

    /// Waits for the next slot of this origin and for any pause; false if the task was cancelled
    /// while waiting (the request must not be sent). The wait is recorded.
    func acquire() async -> Bool {
        let clock = ContinuousClock()
        while true {
            let now = clock.now
            let (until, reserved): (ContinuousClock.Instant, Bool) = state.withLock { state in
                if let paused = state.pausedUntil {
                    if paused > now { return (paused, false) }
                    state.pausedUntil = nil
                    metrics.setLimitedUntil(0)
                }
                let due = max(state.nextSlot, now)
                state.nextSlot = due + state.spacing
                return (max(now, due - state.burstTolerance), true)
            }
            if until > now, !(await wait(until: until, from: now, clock: clock)) { return false }
            // A pause that began while this request slept takes precedence over its slot.
            if reserved && !isPaused(at: clock.now) { return true }
        }
    }

    /// Sleeps until `until`, adding the time to the wait counter at least once a second, so a long
    /// pause shows while it lasts, not only when it ends; false if cancelled.
    private func wait(until: ContinuousClock.Instant, from start: ContinuousClock.Instant, clock: ContinuousClock) async -> Bool {
        var cursor = start
        while cursor < until {
            let cancelled: Bool
            do {
                try await Task.sleep(until: min(until, cursor + .seconds(1)), clock: clock)
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
        let now = ContinuousClock.now
        let pause: Duration = state.withLock { state in
            state.consecutiveLimits += 1
            let pause = retryAfter.map { min($0, PollSchedule.retryAfterCap) } ?? Self.backoff(base: state.backoffBase, limits: state.consecutiveLimits)
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

    private func isPaused(at now: ContinuousClock.Instant) -> Bool {
        state.withLock { state in (state.pausedUntil.map { $0 > now }) ?? false }
    }

    /// The backoff each target's own schedule uses (PollSchedule), for the origin: the base
    /// doubled per consecutive limit, up to 10 times the base or 10 minutes.
    static func backoff(base: Duration, limits: Int) -> Duration {
        let cap = PollSchedule(interval: base).backoffCap
        return min(cap, base * Double(1 << min(limits, 30)))
    }
}
