import FoundationEssentials

/// The one place a target's poll results are recorded: into its series (``TargetMetrics``, what
/// Prometheus scrapes) and onto the ``TargetStatusBoard`` (what the landing page and `/-/ready`
/// show), always together, so the two can never tell different stories.
///
/// Each recorder claims its target when it is made (a generation number): when a restart makes a
/// new poller, the old one's late writes, from a poll still finishing, are ignored by both sinks.
struct PollRecorder: Sendable {
    let target: String
    private let metrics: TargetWriter
    private let board: TargetStatusBoard
    /// This recorder's claim on the target, for the board's writes.
    private var writer: UInt64 { metrics.number }

    /// Claims the target's series and status, and prepares its health series for `config`.
    init(config: TargetConfig, metrics: TargetMetrics, board: TargetStatusBoard) {
        target = config.name
        self.metrics = metrics.claim()
        self.board = board
        board.claim(target: target, writer: writer)
        self.metrics.setHealthProbing(config.health)
        self.metrics.setCollectors(config.collectors)
        if !config.health { board.recordHealth(target: target, nil, writer: writer) }
    }

    /// One HTTP exchange with the API, as it ends.
    func request(_ record: RequestRecord) {
        metrics.record(record)
    }

    /// A poll that fetched the whole list; returns the number of unique datasources.
    func succeeded(names: [String], elapsed: Duration, at time: Date) -> Int {
        let count = metrics.pollSucceeded(names: names, duration: elapsed, at: time)
        board.recordSuccess(target: target, datasources: count, at: time, writer: writer)
        return count
    }

    /// A poll that did not; the last good list stays in both places.
    func failed(_ failure: PollFailure, elapsed: Duration, at time: Date) {
        metrics.pollFailed(duration: elapsed)
        board.recordFailure(target: target, message: failure.summary, at: time, writer: writer)
    }

    /// How a collector's part of the poll went; an inventory collector's complete list with it
    /// (the datasources collector's series are recorded by ``succeeded(names:elapsed:at:)``).
    func collected(_ name: CollectorName, _ result: Result<InventoryListing, PollFailure>, elapsed: Duration) {
        let listing = try? result.get()
        if let listing, name != .datasources { metrics.inventoryListed(name, listing) }
        metrics.collectorFinished(name, succeeded: listing != nil, duration: elapsed)
        board.recordCollector(target: target, name, up: listing != nil, count: listing?.count, writer: writer)
    }

    /// A round of health probes.
    func probed(_ probes: [HealthProber.Probe]) {
        metrics.recordHealth(probes)
        board.recordHealth(target: target, HealthSummary(probes), writer: writer)
    }

    /// Datasources in the last successful poll, for log lines.
    var datasourceCount: Int? { board.datasourceCount(target: target) }
}
