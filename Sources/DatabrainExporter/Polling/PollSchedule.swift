/// When the next poll happens: the interval with a little jitter, or exponential backoff after
/// 429 and 5xx answers (honouring `Retry-After`), back to normal after a success.
public struct PollSchedule: Sendable {
    /// The configured interval.
    public let interval: Duration
    /// The longest backoff: 10 intervals or 10 minutes, whichever is shorter (never below the interval).
    public let backoffCap: Duration
    /// The longest `Retry-After` honoured; a larger value is treated as this.
    public static let retryAfterCap = BackoffRule.retryAfterCap
    /// ±5 % spreads targets that start together (and replicas) so they do not poll in lockstep.
    static let jitter = 0.05

    private(set) var consecutiveBackoffs = 0

    /// Creates a schedule for an interval, counting on from `consecutiveBackoffs` (a restarted
    /// poller's, kept in its ``TargetSlot``).
    public init(interval: Duration, consecutiveBackoffs: Int = 0) {
        self.interval = interval
        self.backoffCap = BackoffRule.cap(interval: interval)
        self.consecutiveBackoffs = consecutiveBackoffs
    }

    /// The delay before the next poll. `random` returns values in 0..<1 (injectable for tests).
    public mutating func delay(after failure: PollFailure?, random: () -> Double = { Double.random(in: 0..<1) }) -> Duration {
        let spread = 1 - Self.jitter + 2 * Self.jitter * random()
        guard let failure, failure.callsForBackoff else {
            consecutiveBackoffs = 0
            return interval * spread
        }
        consecutiveBackoffs += 1
        let doublings = min(consecutiveBackoffs, 30)
        var delay = min(backoffCap, interval * Double(1 << doublings) * spread)
        if let retryAfter = failure.retryAfter {
            delay = max(delay, min(retryAfter, Self.retryAfterCap))
        }
        return delay
    }
}
