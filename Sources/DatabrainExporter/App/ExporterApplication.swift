// App/ owns the wiring: which services run, signals, the one reload owner, --once, and what the
// build is (BuildInfo). It builds parts from the other folders and connects them, holding no
// HTTP, metric or polling logic; other folders read BuildInfo, never the wiring.

import FoundationEssentials
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Wires the pollers, the HTTP server and reload together and runs them until SIGTERM/SIGINT.
public struct ExporterApplication {
    /// Where to accept connections.
    public var listeners: Listeners
    /// The path of the exposition, `/metrics` by default.
    public var telemetryPath: String
    /// Reads and validates the configuration (at start-up and on every reload).
    public var loadConfig: @Sendable () throws -> ExporterConfig
    /// Limits, timeouts and the web config of the HTTP endpoint.
    public var web: WebSettings
    /// The root logger.
    public var logger: Logger

    /// Creates an application.
    public init(listeners: Listeners, telemetryPath: String, web: WebSettings = WebSettings(),
                loadConfig: @escaping @Sendable () throws -> ExporterConfig, logger: Logger) {
        self.listeners = listeners
        self.telemetryPath = telemetryPath
        self.web = web
        self.loadConfig = loadConfig
        self.logger = logger
    }

    /// Runs until a shutdown signal; throws a ``ConfigError`` for start-up problems.
    public func run() async throws {
        let config = try loadConfig()
        let metrics = ExporterMetrics(maxScrapesInFlight: web.maxRequests, exporterMetrics: !web.disableExporterMetrics)
        metrics.recordConfigLoad(successful: true, at: Date().timeIntervalSince1970)
        let board = TargetStatusBoard()
        // One engine for every transfer of every target: a hanging API costs sockets, not threads.
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let budgets = OriginBudgets(metrics: metrics, logger: logger)
        let supervisor = PollerSupervisor(metrics: metrics, board: board, logger: logger,
                                          factory: .curl(engine: engine, budgets: budgets, board: board, logger: logger))
        // The pollers start once the service group runs (the reloader applies the configuration
        // first); the board knows the targets now, so /-/ready waits for their first polls.
        board.setTargets(of: config)
        let reloader = ConfigReloader(load: loadConfig, supervisor: supervisor, metrics: metrics, logger: logger, initial: config)
        // A scrape hands cached buffers to the socket; one loop per core keeps concurrent scrapes
        // from queueing behind a large one. bcrypt checks (basic auth) run on the thread pool.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let server = try await MetricsHTTPServer.bind(
            listeners: listeners, telemetryPath: telemetryPath, settings: web, metrics: metrics, board: board,
            reload: { reloader.requestReload(reply: $0) }, group: group, threadPool: threadPool, logger: logger)
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: server), .init(service: supervisor), .init(service: reloader)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await services.run()
        logger.info("stopped")
        try? await threadPool.shutdownGracefully()
        try? await group.shutdownGracefully()
    }

    /// Polls every target once, concurrently through one engine, with the pollers the running
    /// exporter builds, without starting the loops or the server (`--once`); returns the
    /// exposition and whether every target was up.
    public static func pollOnce(config: ExporterConfig, logger: Logger) async -> (exposition: [UInt8], allUp: Bool) {
        let metrics = ExporterMetrics()
        let board = TargetStatusBoard()
        board.setTargets(config.targets)
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let budgets = OriginBudgets(metrics: metrics, logger: logger)
        budgets.apply(config)
        let factory = PollerFactory.curl(engine: engine, budgets: budgets, board: board, logger: logger)
        let allUp = await withTaskGroup(of: Bool.self) { group in
            for target in config.targets {
                let poller = factory.poller(for: target, slot: TargetSlot(metrics: metrics.makeTarget(target.name)))
                group.addTask { await poller.pollOnce() == nil }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        return (metrics.exposition(), allUp)
    }
}
