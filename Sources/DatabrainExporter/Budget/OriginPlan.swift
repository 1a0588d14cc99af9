/// What a configuration asks of one origin: its targets, the requests per minute their schedules
/// need at least, and the budget they share. Computed at start, on every reload and by
/// `--config.check`.
public struct OriginPlan: Sendable, Equatable {
    /// `scheme://host:port`.
    public var origin: String
    /// The configured targets of the origin.
    public var targets: [String]
    /// Requests per minute the targets' intervals ask for: per poll one request per collector (more
    /// when a paginated list has more pages), and per interval of the origin's most frequent
    /// target with probing on, one round of two health probes, which every target shares.
    public var neededPerMinute: Double
    /// The origin's budget.
    public var budgetPerMinute: Int
    /// The shortest interval among the targets (the origin's backoff base).
    public var shortestInterval: Duration

    /// Whether the schedule asks for more than the budget: then polls stretch to fit.
    public var exceedsBudget: Bool { neededPerMinute > Double(budgetPerMinute) }

    /// Requests one poll of `target` makes to its origin at least (its collectors'; the health
    /// probes are the instance's, shared by its targets).
    public static func requestsPerPoll(_ target: TargetConfig) -> Int {
        target.collectors.reduce(0) { $0 + $1.requestsToOrigin }
    }

    /// One plan per origin of `config`'s targets, in order of first appearance.
    public static func plans(for config: ExporterConfig) -> [OriginPlan] {
        var plans: [OriginPlan] = []
        var index: [String: Int] = [:]
        var probing: [String: Duration] = [:]  // per origin, the shortest interval with health probes on
        for target in config.targets {
            let origin = SameOrigin.origin(of: target.url) ?? target.displayURL  // never credentials, even where validation let a URL through
            let need = Double(requestsPerPoll(target)) * 60 / max(0.001, target.interval.seconds)
            if target.health { probing[origin] = min(probing[origin] ?? target.interval, target.interval) }
            if let at = index[origin] {
                plans[at].targets.append(target.name)
                plans[at].neededPerMinute += need
                plans[at].shortestInterval = min(plans[at].shortestInterval, target.interval)
            } else {
                index[origin] = plans.count
                plans.append(OriginPlan(origin: origin, targets: [target.name], neededPerMinute: need,
                                        budgetPerMinute: config.budget(for: origin), shortestInterval: target.interval))
            }
        }
        for (origin, interval) in probing {
            if let at = index[origin] { plans[at].neededPerMinute += Double(HealthEndpoint.allCases.count) * 60 / max(0.001, interval.seconds) }
        }
        return plans
    }

    /// One line for the log and `--config.check`.
    public var summary: String {
        let need = neededPerMinute.rounded(.up)
        let verdict = exceedsBudget ? "over the budget: polls are stretched to fit" : "within the budget"
        return "origin \(origin): \(targets.count) target(s) need at least \(Int(need)) requests/min, budget \(budgetPerMinute)/min (\(verdict))"
    }
}
