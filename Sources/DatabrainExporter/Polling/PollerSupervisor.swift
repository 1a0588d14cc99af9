// Polling/ owns when and with what a target is polled: one poller per target, the schedule and
// backoff, the token source, the status board, the supervisor that applies reloads. It asks
// DatabrainAPI/ for the list and records into Metrics/; it never serves HTTP.

import Logging
import ServiceLifecycle
import Locking

/// Runs one ``TargetPoller`` per configured target and applies new configurations (reload).
///
/// A reload stops pollers of removed targets (dropping their series), restarts pollers whose
/// settings changed (keeping their counters) and starts new ones. Each poller runs in its own
/// unstructured `Task`, kept here and cancelled at shutdown or when its target goes; its transfer
/// in flight is removed from the engine at once, so shutdown never waits for the API.
public final class PollerSupervisor: Service, Sendable {
    private struct Running {
        var config: TargetConfig
        /// Kept across restarts: the series, the claims, the backoff, the logged states.
        var slot: TargetSlot
        var task: Task<Void, Never>
    }

    private let metrics: ExporterMetrics
    private let board: TargetStatusBoard
    private let logger: Logger
    private let running = Locked<[String: Running]>([:])
    private let factory: PollerFactory

    /// Creates a supervisor that builds every poller with `factory` (``PollerFactory/curl(engine:budgets:board:logger:)``
    /// in the exporter); nothing polls until ``apply(_:)``.
    public init(metrics: ExporterMetrics, board: TargetStatusBoard, logger: Logger, factory: PollerFactory) {
        self.metrics = metrics
        self.board = board
        self.logger = logger
        self.factory = factory
    }

    /// Starts, restarts or stops pollers so that exactly `config`'s targets are polled.
    public func apply(_ config: ExporterConfig) {
        board.setTargets(of: config)
        metrics.recordShard(config.sharding, targets: config.targets.count)
        // Budgets before pollers: a new target's first request already waits its origin's turn.
        for plan in factory.budgets?.apply(config) ?? [] where plan.exceedsBudget {
            logger.warning("the targets of an origin need more requests than its budget; their polls are stretched to fit", metadata: [
                "origin": "\(plan.origin)", "needed_per_minute": "\(Int(plan.neededPerMinute.rounded(.up)))",
                "budget_per_minute": "\(plan.budgetPerMinute)", "targets": "\(plan.targets.count)",
            ])
        }
        if config.sharding.shards > 1 {
            logger.info("polling this replica's shard", metadata: [
                "shard": "\(config.sharding.shard)", "shards": "\(config.sharding.shards)",
                "targets": "\(config.targets.count)", "configured": "\(config.configuredTargets)",
            ])
        }
        let wanted = Dictionary(uniqueKeysWithValues: config.targets.map { ($0.name, $0) })
        let stopped: [Running] = running.withLock { running in
            var stopped: [Running] = []
            for (name, current) in running where wanted[name] != current.config {
                current.task.cancel()
                stopped.append(current)
                running[name] = nil
                // Gone before any new poller can record: no scrape shows a removed target beside
                // its replacement.
                if wanted[name] == nil { current.slot.metrics.unregister() }
            }
            for target in config.targets where running[target.name] == nil {
                // A restarted target keeps its slot (series, backoff, logged states); a new one gets a fresh one.
                let slot = stopped.first { $0.config.name == target.name }?.slot ?? TargetSlot(metrics: metrics.makeTarget(target.name))
                let poller = factory.poller(for: target, slot: slot)
                running[target.name] = Running(config: target, slot: slot, task: Task { await poller.run() })
                logger.info("polling target", metadata: [
                    "target": "\(target.name)", "url": "\(target.displayURL)", "interval": "\(GoDuration.format(target.interval))",
                    "timeout": "\(GoDuration.format(target.timeout))", "paginate": "\(target.paginate)",
                ])
                if target.insecureSkipVerify {
                    logger.warning("TLS verification is OFF for this target: anyone on the network path can read the service token", metadata: ["target": "\(target.name)"])
                }
            }
            return stopped
        }
        for old in stopped where wanted[old.config.name] == nil {
            logger.info("target removed", metadata: ["target": "\(old.config.name)"])
        }
    }

    /// Waits for graceful shutdown, then stops every poller.
    public func run() async throws {
        try? await gracefulShutdown()
        stopAll()
    }

    /// Cancels every poller. Each returns at once: its transfer in flight leaves the engine, not awaited.
    public func stopAll() {
        let tasks = running.withLock { running in
            defer { running.removeAll() }
            return running.values.map(\.task)
        }
        for task in tasks { task.cancel() }
    }
}
