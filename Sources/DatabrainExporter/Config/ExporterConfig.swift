// Config/ owns what the user configures: targets, both YAML files, durations, listeners.
// It validates and reports in one line per problem, and it never opens a socket, polls, or
// writes a metric; the types it produces are plain values the other folders take.

/// The validated set of targets the exporter polls.
public struct ExporterConfig: Sendable, Equatable {
    /// Targets, in the order configured; names are unique. After ``owned(by:)``, only this shard's.
    public var targets: [TargetConfig]
    /// The shard these targets are for (``Sharding/single`` unless ``owned(by:)`` made them).
    public var sharding: Sharding = .single
    /// How many targets the configuration has across all shards.
    public var configuredTargets: Int
    /// Requests per minute the exporter sends to one origin, across all its targets, unless
    /// ``originBudgets`` names the origin (`--databrain.requests-per-minute`).
    public var requestsPerMinute = ExporterConfig.defaultRequestsPerMinute
    /// Budgets for particular origins (`origins:` in `--config.file`), by `scheme://host:port`.
    public var originBudgets: [String: Int] = [:]

    /// Databrain's documented self-hosted limit is 500 requests per client IP per 2 minutes. At 200
    /// a minute with bursts of 20, any 2 minutes see at most 420 from the exporter, which leaves
    /// room for the organisation's own clients behind the same IP.
    public static let defaultRequestsPerMinute = 200

    /// The budget of `origin` (`scheme://host:port`).
    public func budget(for origin: String) -> Int {
        originBudgets[origin] ?? requestsPerMinute
    }

    /// Creates a configuration of every target.
    public init(targets: [TargetConfig]) {
        self.targets = targets
        self.configuredTargets = targets.count
    }

    /// The targets `sharding` gives this replica, in configuration order (possibly none).
    public func owned(by sharding: Sharding) -> ExporterConfig {
        var owned = self
        owned.targets = targets.filter { sharding.owns($0.name) }
        owned.sharding = sharding
        return owned
    }

    /// Each shard's targets, in configuration order, for `--config.check`.
    public func assignment(shards: Int) -> [[TargetConfig]] {
        var byShard = Array(repeating: [TargetConfig](), count: max(1, shards))
        for target in targets { byShard[Sharding.shard(of: target.name, shards: shards)].append(target) }
        return byShard
    }

    /// Validates every target and the set as a whole (at least one target, unique names, budgets).
    public func validate() throws(ConfigError) {
        guard !targets.isEmpty else { throw ConfigError("no targets configured: add at least one under targets:") }
        guard requestsPerMinute >= 1 else { throw ConfigError("--databrain.requests-per-minute must be at least 1, not \(requestsPerMinute)") }
        var seen = Set<String>()
        for target in targets {
            guard seen.insert(target.name).inserted else {
                throw ConfigError("duplicate target name \"\(target.name)\": every target needs its own name")
            }
            try target.validate()
        }
    }
}
