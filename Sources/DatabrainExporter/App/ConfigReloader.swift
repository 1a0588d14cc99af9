import FoundationEssentials
import Logging
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// The one owner of configuration reloads. SIGHUP and `POST /-/reload` both queue a request here,
/// and `run()` applies them one at a time, in arrival order, off the event loops (the YAML and token
/// files are read, and the pollers set up, on the reloader's own thread, so neither an event loop
/// nor Swift's cooperative pool waits for a slow disk). A bad new configuration is
/// logged, recorded in `databrain_exporter_config_last_reload_successful`, and the old one kept.
public final class ConfigReloader: Service, Sendable {
    /// What a reload request is told once it was applied or rejected.
    public typealias Reply = @Sendable (Result<Void, ConfigError>) -> Void

    private let load: @Sendable () throws -> ExporterConfig
    private let supervisor: PollerSupervisor
    private let metrics: ExporterMetrics
    private let logger: Logger
    /// The answer to a request the reloader will not run any more.
    private static let shuttingDown = ConfigError("the exporter is shutting down")
    private let requests: AsyncStream<Reply?>
    private let queue: AsyncStream<Reply?>.Continuation
    /// The configuration loaded at start-up, applied by `run()` before any reload.
    private let initial: ExporterConfig?

    /// Creates a reloader; `load` reads and validates the configuration afresh. `initial`, when
    /// given, is applied first, on the reloader's thread: setting up many targets' pollers and
    /// series takes a while, and the service group (which traps SIGTERM) is running by then.
    public init(load: @escaping @Sendable () throws -> ExporterConfig, supervisor: PollerSupervisor, metrics: ExporterMetrics, logger: Logger,
                initial: ExporterConfig? = nil) {
        self.load = load
        self.supervisor = supervisor
        self.metrics = metrics
        self.logger = logger
        self.initial = initial
        (requests, queue) = AsyncStream.makeStream(of: Reply?.self)
    }

    /// Queues one reload; `reply` is called from the reloader's task once it ran (or at once with a
    /// failure when the exporter is shutting down). Never blocks the caller.
    public func requestReload(reply: @escaping Reply) {
        if case .terminated = queue.yield(reply) {
            reply(.failure(Self.shuttingDown))
        }
    }

    /// Applies queued reloads, and one per SIGHUP, until graceful shutdown.
    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [queue] in
                for await _ in signals.cancelOnGracefulShutdown() { queue.yield(nil) }
            }
            let thread = NIOThreadPool(numberOfThreads: 1)
            thread.start()
            if let initial { _ = try? await thread.runIfActive { self.supervisor.apply(initial) } }
            for await reply in requests.cancelOnGracefulShutdown() {
                let result = (try? await thread.runIfActive { self.reload() }) ?? .failure(Self.shuttingDown)
                reply?(result)
            }
            try? await thread.shutdownGracefully()
            group.cancelAll()
        }
        // Requests still queued are answered, so no `POST /-/reload` waits for ever.
        queue.finish()
        for await reply in requests { reply?(.failure(Self.shuttingDown)) }
    }

    /// Loads and applies the configuration once; only `run()` calls it, so reloads never overlap.
    func reload() -> Result<Void, ConfigError> {
        do {
            let config = try load()
            supervisor.apply(config)
            metrics.recordConfigLoad(successful: true, at: Date().timeIntervalSince1970)
            logger.info("configuration reloaded", metadata: ["targets": "\(config.targets.count)"])
            return .success(())
        } catch {
            let failure = error as? ConfigError ?? ConfigError("\(error)")
            metrics.recordConfigLoad(successful: false, at: Date().timeIntervalSince1970)
            logger.error("configuration reload failed; keeping the previous configuration", metadata: ["error": "\(failure.message)"])
            return .failure(failure)
        }
    }
}
