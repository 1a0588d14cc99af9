import Logging

/// Builds the poller of one target from its configuration and its slot (its series and memory): what
/// the supervisor starts on every start and restart, and what `--once` polls. There is one way to
/// build a poller, so a long-running exporter and `--once` poll alike.
public struct PollerFactory: Sendable {
    private let make: @Sendable (TargetConfig, TargetSlot) -> TargetPoller
    /// The per-origin request budgets the pollers' requests pass through (nil: none).
    public let budgets: OriginBudgets?

    /// A factory from a closure (tests give pollers a scripted transport), with the budgets its
    /// pollers use, if any, so that the supervisor applies every configuration to them.
    public init(budgets: OriginBudgets? = nil, _ make: @escaping @Sendable (TargetConfig, TargetSlot) -> TargetPoller) {
        self.budgets = budgets
        self.make = make
    }

    /// Pollers whose requests all go through `engine`, each with its target's TLS settings, so
    /// targets of one origin share its connections, DNS and TLS sessions, behind `budgets`.
    /// Targets of one Databrain instance share its health probes (``HealthProbeCache``).
    public static func curl(engine: CurlEngine, budgets: OriginBudgets, board: TargetStatusBoard, logger: Logger) -> PollerFactory {
        let healthProbes = HealthProbeCache()
        return PollerFactory(budgets: budgets) { config, slot in
            let settings = CurlClientSettings(caFile: config.caFile, insecureSkipVerify: config.insecureSkipVerify, userAgent: BuildInfo.userAgent)
            let transport = BudgetedTransport(CurlClient(engine: engine, settings: settings), budgets: budgets)
            return TargetPoller(config: config, slot: slot, board: board, logger: logger, http: transport, healthProbes: healthProbes)
        }
    }

    /// The poller of `config`, recording under a new claim of `slot`.
    public func poller(for config: TargetConfig, slot: TargetSlot) -> TargetPoller {
        make(config, slot)
    }
}
