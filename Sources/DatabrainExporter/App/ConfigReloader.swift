import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on SIGHUP. A bad new configuration is logged and the old one kept.
public struct ConfigReloader: Service {
    private let load: @Sendable () throws -> ExporterConfig
    private let supervisor: PollerSupervisor
    private let logger: Logger

    /// Creates a reloader; `load` reads and validates the configuration afresh.
    public init(load: @escaping @Sendable () throws -> ExporterConfig, supervisor: PollerSupervisor, logger: Logger) {
        self.load = load
        self.supervisor = supervisor
        self.logger = logger
    }

    /// Waits for SIGHUP until graceful shutdown.
    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            reload()
        }
    }

    /// Loads and applies the configuration once; returns whether it was applied.
    @discardableResult
    public func reload() -> Bool {
        do {
            let config = try load()
            supervisor.apply(config)
            logger.info("configuration reloaded", metadata: ["targets": "\(config.targets.count)"])
            return true
        } catch {
            logger.error("configuration reload failed; keeping the previous configuration", metadata: ["error": "\(error)"])
            return false
        }
    }
}
