import FoundationEssentials

/// Everything one poll found, built by ``TargetPoller/pollOnce()`` and recorded once by each sink
/// (the target's series and the status board), as blackbox_exporter's prober returns one outcome
/// that its handler records. Nothing of a poll is recorded before its report is complete, except
/// the HTTP exchanges themselves, which are counted as they end.
struct PollReport: Sendable {
    /// One collector's part of the poll.
    struct Run: Sendable {
        let collector: CollectorName
        let result: Result<CollectorListing, PollFailure>
        let duration: Duration

        var failure: PollFailure? {
            if case .failure(let failure) = result { failure } else { nil }
        }
    }

    /// When the poll ended.
    let time: Date
    /// How long the whole poll took: every collector, every page, and the health probes.
    let duration: Duration
    /// Every collector that ran, in run order; the required one always (alone when the token
    /// could not be read, or first when a rate limit ended the poll early).
    let runs: [Run]
    /// The required collector's run: what `databrain_up` reports.
    let required: Run
    /// The health probes, or nil when probing is off for the target (or the poll was paused).
    let health: [HealthProber.Probe]?

    init(time: Date, duration: Duration, runs: [Run], health: [HealthProber.Probe]?) {
        guard let required = runs.first(where: { $0.collector.isRequired }) else { preconditionFailure("a poll always runs the required collector") }
        self.time = time
        self.duration = duration
        self.runs = runs
        self.required = required
        self.health = health
    }

    /// Why the required collector failed, or nil: the poll's outcome for `databrain_up` and the schedule.
    var failure: PollFailure? { required.failure }
}
