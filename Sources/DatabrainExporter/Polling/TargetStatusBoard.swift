import FoundationEssentials
import Locking

/// What the landing page and `/-/ready` show about one target. Never holds the token.
public struct TargetStatus: Sendable, Equatable {
    /// The target's name.
    public var name: String
    /// The base URL without credentials.
    public var url: String
    /// Whether at least one poll has finished (successfully or not).
    public var polled: Bool = false
    /// When the last poll finished.
    public var lastPoll: Date?
    /// When the last successful poll finished.
    public var lastSuccess: Date?
    /// The last poll's failure, nil after a success.
    public var lastError: String?
    /// Datasources in the last successful poll.
    public var datasources: Int?
    /// Databrain's own health at the last probe; nil while probing is off or before the first.
    public var health: HealthSummary?
    /// Each collector turned on, in run order, as its last run left it.
    public var collectors: [CollectorStatus] = []
}

/// The latest poll result of every configured target, shared by pollers and the HTTP server.
public final class TargetStatusBoard: Sendable {
    private struct State {
        var order: [String] = []
        var statuses: [String: TargetStatus] = [:]
        /// The claim whose results each target's status takes (``TargetSlot`` numbers them); kept
        /// apart from the statuses, so a claim is never lost whatever order it and the targets come in.
        var writers: [String: UInt64] = [:]
        var shard: ShardStatus?
    }
    private let state = Locked(State())

    /// Creates an empty board.
    public init() {}

    /// Sets the configured targets, keeping what is known about targets that stay.
    public func setTargets(_ targets: [TargetConfig]) {
        setTargets(of: ExporterConfig(targets: targets))
    }

    /// Sets the targets `config` gives this replica, and its share of them.
    public func setTargets(of config: ExporterConfig) {
        state.withLock { state in
            var statuses: [String: TargetStatus] = [:]
            for target in config.targets {
                var status = state.statuses[target.name] ?? TargetStatus(name: target.name, url: target.displayURL)
                status.url = target.displayURL
                status.collectors = target.collectors.map { name in status.collectors.first { $0.name == name } ?? CollectorStatus(name: name) }
                statuses[target.name] = status
            }
            let writers = state.writers.filter { statuses[$0.key] != nil }
            state = State(order: config.targets.map(\.name), statuses: statuses, writers: writers, shard: ShardStatus(config))
        }
    }

    /// This replica's share of the configured targets (nil before the first configuration).
    public var shard: ShardStatus? {
        state.withLock { $0.shard }
    }

    /// Makes `writer` the only poller whose results this target's status takes.
    public func claim(target: String, writer: UInt64) {
        state.withLock { state in state.writers[target] = max(state.writers[target] ?? 0, writer) }
    }

    /// Records a poll: its outcome (the datasource count of the last success stays through a
    /// failure), each collector's state and last good count, and the health summary.
    func record(_ report: PollReport, target: String, writer: UInt64) {
        update(target, writer) { status in
            status.polled = true
            status.lastPoll = report.time
            switch report.required.result {
            case .success(let listing):
                status.lastSuccess = report.time
                status.lastError = nil
                status.datasources = listing.count
            case .failure(let failure):
                status.lastError = failure.summary
            }
            for run in report.runs {
                guard let index = status.collectors.firstIndex(where: { $0.name == run.collector }) else { continue }
                status.collectors[index].up = run.failure == nil
                if case .success(let listing) = run.result { status.collectors[index].count = listing.count }
            }
            if let probes = report.health { status.health = HealthSummary(probes) }  // nil: not probed this poll
        }
    }

    /// Forgets the health summary: probing was turned off for the target.
    func clearHealth(target: String, writer: UInt64) {
        update(target, writer) { $0.health = nil }
    }

    /// Every target's status, in configuration order.
    public func snapshot() -> [TargetStatus] {
        state.withLock { state in state.order.compactMap { state.statuses[$0] } }
    }

    private func update(_ target: String, _ writer: UInt64, _ change: (inout TargetStatus) -> Void) {
        state.withLock { state in
            // Removed by a reload meanwhile, or written by a poller a restart has replaced.
            guard var status = state.statuses[target], writer == state.writers[target] else { return }
            change(&status)
            state.statuses[target] = status
        }
    }
}
