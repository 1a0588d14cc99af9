import FoundationEssentials

/// The one place a target's polls are recorded: each ``PollReport`` once into its series
/// (``TargetMetrics``, what Prometheus scrapes) and once onto the ``TargetStatusBoard`` (what the
/// landing page and `/-/ready` show), so the two can never tell different stories. HTTP exchanges
/// are counted as they end, before their poll's report.
///
/// Each recorder holds one claim of its ``TargetSlot`` (a number): when a restart makes a new
/// poller, the old one's late writes, from a poll still finishing, are ignored by both sinks.
struct PollRecorder: Sendable {
    let target: String
    private let writer: TargetWriter
    private let board: TargetStatusBoard

    /// Made by ``TargetSlot/claim(config:board:)``: claims the board with the writer's number and
    /// makes the target's health and collector series match `config`.
    init(config: TargetConfig, writer: TargetWriter, board: TargetStatusBoard) {
        target = config.name
        self.writer = writer
        self.board = board
        board.claim(target: target, writer: writer.number)
        writer.setHealthProbing(config.health)
        writer.setCollectors(config.collectors)
        if !config.health { board.clearHealth(target: target, writer: writer.number) }
    }

    /// One HTTP exchange with the API, as it ends.
    func request(_ record: RequestRecord) {
        writer.record(record)
    }

    /// A whole poll, into both sinks.
    func record(_ report: PollReport) {
        writer.record(report)
        board.record(report, target: target, writer: writer.number)
    }
}
