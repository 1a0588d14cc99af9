/// What the landing page says about this replica's share of the targets.
public struct ShardStatus: Sendable, Equatable {
    /// This replica's shard and the number of shards.
    public var sharding: Sharding
    /// Targets this replica polls.
    public var owned: Int
    /// Targets in the configuration, across all shards.
    public var configured: Int

    /// The share `config` gives this replica.
    public init(_ config: ExporterConfig) {
        sharding = config.sharding
        owned = config.targets.count
        configured = config.configuredTargets
    }
}
