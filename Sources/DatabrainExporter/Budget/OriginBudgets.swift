import Logging
import Locking

/// Every origin's budget, by origin: made when a configuration first names the origin, updated on
/// reload, and removed with its series when no target uses the origin any more.
public final class OriginBudgets: Sendable {
    private let metrics: ExporterMetrics
    private let budgets = Locked<[String: OriginBudget]>([:])
    /// What "per minute" means: a minute, except in tests that compress time.
    private let period: Duration
    private let logger: Logger
    private let clock: any PollClock

    /// Creates an empty set; ``apply(_:)`` fills it. `logger` says when a server's announced limit
    /// changes an origin's budget.
    public convenience init(metrics: ExporterMetrics, logger: Logger = .silent) {
        self.init(metrics: metrics, period: .seconds(60), logger: logger)
    }

    init(metrics: ExporterMetrics, period: Duration, logger: Logger = .silent, clock: any PollClock = SystemPollClock()) {
        self.metrics = metrics
        self.period = period
        self.logger = logger
        self.clock = clock
    }

    /// Makes the budgets match `config`'s origins; returns each origin's plan.
    @discardableResult
    public func apply(_ config: ExporterConfig) -> [OriginPlan] {
        let plans = OriginPlan.plans(for: config)
        budgets.withLock { budgets in
            let wanted = Set(plans.map(\.origin))
            for (origin, budget) in budgets where !wanted.contains(origin) {
                budget.retire()
                budgets[origin] = nil
            }
            for plan in plans {
                defer { budgets[plan.origin]?.setNeeded(perMinute: plan.neededPerMinute) }
                if let budget = budgets[plan.origin] {
                    budget.update(requestsPerMinute: plan.budgetPerMinute, backoffBase: plan.shortestInterval)
                } else {
                    budgets[plan.origin] = OriginBudget(origin: plan.origin, requestsPerMinute: plan.budgetPerMinute,
                                                        backoffBase: plan.shortestInterval, metrics: metrics.origin(plan.origin), period: period,
                                                        logger: logger, clock: clock)
                }
            }
        }
        return plans
    }

    /// The budget of the origin `url` belongs to; nil for an origin no configured target has.
    func budget(for url: String) -> OriginBudget? {
        guard let origin = SameOrigin.origin(of: url) else { return nil }
        return budgets.withLock { $0[origin] }
    }
}
