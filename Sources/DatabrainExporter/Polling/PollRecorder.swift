import FoundationEssentials

/// The one place a target's poll results are recorded: into its series (``TargetMetrics``, what
/// Prometheus scrapes) and onto the ``TargetStatusBoard`` (what the landing page and `/-/ready`
/// show), always together, so the two can never tell different stories.
struct PollRecorder: Sendable {
    let target: String
    private let metrics: TargetMetrics
    private let board: TargetStatusBoard

    /// Prepares the target's health series and status for `config`'s probing setting.
    init(config: TargetConfig, metrics: TargetMetrics, board: TargetStatusBoard) {
        target = config.name
        self.metrics = metrics
        self.board = board
        metrics.setHealthProbing(config.health)
        if !config.health { board.recordHealth(target: target, nil) }
    }

    /// One HTTP exchange with the API, as it ends (on the HTTP client's thread).
    func request(_ record: RequestRecord) {
        metrics.record(record)
    }

    /// A poll that fetched the whole list; returns the number of unique datasources.
    func succeeded(names: [String], elapsed: Duration, at time: Date) -> Int {
        let count = metrics.pollSucceeded(names: names, duration: elapsed, at: time)
        board.recordSuccess(target: target, datasources: count, at: time)
        return count
    }

    /// A poll that did not; the last good list stays in both places.
    func failed(_ failure: PollFailure, elapsed: Duration, at time: Date) {
        metrics.pollFailed(duration: elapsed)
        board.recordFailure(target: target, message: failure.summary, at: time)
    }

    /// A round of health probes.
    func probed(_ probes: [HealthProber.Probe]) {
        metrics.recordHealth(probes)
        board.recordHealth(target: target, HealthSummary(probes))
    }

    /// Datasources in the last successful poll, for log lines.
    var datasourceCount: Int? { board.datasourceCount(target: target) }
}
