import FoundationEssentials
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on SIGHUP (and for `POST /-/reload`). A bad new configuration is
/// logged, recorded in `databrain_exporter_config_last_reload_successful`, and the old one kept.
public struct ConfigReloader: Service {
    private let load: @Sendable () throws -> ExporterConfig
    private let supervisor: PollerSupervisor
    private let metrics: ExporterMetrics
    private let logger: Logger

    /// Creates a reloader; `load` reads and validates the configuration afresh.
    public init(load: @escaping @Sendable () throws -> ExporterConfig, supervisor: PollerSupervisor, metrics: ExporterMetrics, logger: Logger) {
        self.load = load
        self.supervisor = supervisor
        self.metrics = metrics
        self.logger = logger
    }

    /// Waits for SIGHUP until graceful shutdown.
    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            reload()
        }
    }

    /// Loads and applies the configuration once; the error says why it was rejected.
    @discardableResult
    public func reload() -> Result<Void, ConfigError> {
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
