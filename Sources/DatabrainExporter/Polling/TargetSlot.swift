import Locking
import Synchronization

/// Everything of one target that outlives its pollers. A reload restarts the poller of a target
/// whose settings changed; the new one keeps the series (counters must not reset), fences the old
/// one out, keeps backing off a failing API, and does not log again what was logged. The
/// supervisor owns one slot per target name, and the slot is the one owner of its claim numbers.
public final class TargetSlot: Sendable {
    let metrics: TargetMetrics
    /// The last state each log subject logged.
    let logged = LoggedStates()
    private let claims = Atomic<UInt64>(0)
    private let schedule = Locked<(backoffs: Int, nextPoll: ContinuousClock.Instant?)>((0, nil))

    /// The slot of the target `metrics` are the series of.
    public init(metrics: TargetMetrics) {
        self.metrics = metrics
    }

    /// A new poller's right to record the target's polls. Its number fences out every earlier
    /// claim, in the series and on the board alike; the claim also declares the poller's shape
    /// (health probing, collectors), so a reload that turns one off removes its series at once.
    func claim(config: TargetConfig, board: TargetStatusBoard) -> PollRecorder {
        let number = claims.add(1, ordering: .sequentiallyConsistent).newValue
        return PollRecorder(config: config, writer: metrics.writer(claim: number), board: board)
    }

    /// When the next poll is due after a poll that ended in `failure`, by `config`'s schedule:
    /// backing off where the rule says so, counting on from the last poller's backoffs.
    func nextPoll(after failure: PollFailure?, interval: Duration, now: ContinuousClock.Instant) -> Duration {
        schedule.withLock { memory in
            var schedule = PollSchedule(interval: interval, consecutiveBackoffs: memory.backoffs)
            let delay = schedule.delay(after: failure)
            memory = (schedule.consecutiveBackoffs, schedule.consecutiveBackoffs > 0 ? now + delay : nil)
            return delay
        }
    }

    /// Where the last poller left a backoff, when it ends; nil when the target is not backing off.
    var backoffEnds: ContinuousClock.Instant? { schedule.withLock { $0.nextPoll } }
}
