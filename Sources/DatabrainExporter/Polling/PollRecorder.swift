import FoundationEssentials

/// The one place a target's polls are recorded: each ``PollReport`` once into its series
/// (``TargetMetrics``, what Prometheus scrapes) and once onto the ``TargetStatusBoard`` (what the
/// landing page and `/-/ready` show), so the two can never tell different stories. HTTP exchanges
/// are counted as they end, before their poll's report.
///
/// Each recorder claims its target when it is made (a generation number): when a restart makes a
/// new poller, the old one's late writes, from a poll still finishing, are ignored by both sinks.
/// The claim also declares the poller's shape (health probing, collectors), so a reload that turns
/// one off removes its series with the new poller, not after its first poll.
struct PollRecorder: Sendable {
    let target: String
    private let metrics: TargetWriter
    private let board: TargetStatusBoard
    /// This recorder's claim on the target, for the board's writes.
    private var writer: UInt64 { metrics.number }

    /// Claims the target's series and status, and makes its health and collector series match `config`.
    init(config: TargetConfig, metrics: TargetMetrics, board: TargetStatusBoard) {
        target = config.name
        self.metrics = metrics.claim()
        self.board = board
        board.claim(target: target, writer: writer)
        self.metrics.setHealthProbing(config.health)
        self.metrics.setCollectors(config.collectors)
        if !config.health { board.clearHealth(target: target, writer: writer) }
    }

    /// One HTTP exchange with the API, as it ends.
    func request(_ record: RequestRecord) {
        metrics.record(record)
    }

    /// A whole poll, into both sinks.
    func record(_ report: PollReport) {
        metrics.record(report)
        board.record(report, target: target, writer: writer)
    }
}
