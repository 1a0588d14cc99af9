import Logging

/// Builds the poller of one target from its configuration and the series it records into: what
/// the supervisor starts on every start and restart, and what `--once` polls. There is one way to
/// build a poller, so a long-running exporter and `--once` poll alike.
public struct PollerFactory: Sendable {
    private let make: @Sendable (TargetConfig, TargetMetrics) -> TargetPoller
    /// The per-origin request budgets the pollers' requests pass through (nil: none).
    public let budgets: OriginBudgets?

    /// A factory from a closure (tests give pollers a scripted transport), with the budgets its
    /// pollers use, if any, so that the supervisor applies every configuration to them.
    public init(budgets: OriginBudgets? = nil, _ make: @escaping @Sendable (TargetConfig, TargetMetrics) -> TargetPoller) {
        self.budgets = budgets
        self.make = make
    }

    /// Pollers whose requests all go through `engine`, each with its target's TLS settings, so
    /// targets of one origin share its connections, DNS and TLS sessions, behind `budgets`.
    public static func curl(engine: CurlEngine, budgets: OriginBudgets, board: TargetStatusBoard, logger: Logger) -> PollerFactory {
        PollerFactory(budgets: budgets) { config, metrics in
            let settings = CurlClientSettings(caFile: config.caFile, insecureSkipVerify: config.insecureSkipVerify, userAgent: BuildInfo.userAgent)
            let transport = BudgetedTransport(CurlClient(engine: engine, settings: settings), budgets: budgets)
            return TargetPoller(config: config, metrics: metrics, board: board, logger: logger, http: transport)
        }
    }

    /// The poller of `config`, recording into `metrics`.
    public func poller(for config: TargetConfig, metrics: TargetMetrics) -> TargetPoller {
        make(config, metrics)
    }
}
