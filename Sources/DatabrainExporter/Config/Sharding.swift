/// Which targets this replica polls when several replicas split one configuration.
///
/// A target belongs to shard `FNV-1a-64(UTF-8 bytes of its name) mod shards`. The hash is spelled
/// out here rather than taken from Swift's `Hasher`, which is seeded per process: every replica,
/// every version and every platform must put a target in the same shard, or a rolling update
/// would poll some targets twice and others not at all.
public struct Sharding: Sendable, Equatable {
    /// How many replicas split the targets (1: no sharding).
    public let shards: Int
    /// This replica's shard, `0..<shards`.
    public let shard: Int

    /// One replica polls everything.
    public static let single = Sharding(uncheckedShards: 1, shard: 0)

    /// Creates a sharding; throws unless `shards >= 1` and `0 <= shard < shards`.
    public init(shards: Int, shard: Int) throws(ConfigError) {
        guard shards >= 1 else { throw ConfigError("--config.shards must be at least 1, not \(shards)") }
        guard (0..<shards).contains(shard) else {
            throw ConfigError("shard \(shard) does not exist: --config.shard (or DATABRAIN_SHARD) must be 0 to \(shards - 1) with --config.shards \(shards)")
        }
        self.init(uncheckedShards: shards, shard: shard)
    }

    private init(uncheckedShards shards: Int, shard: Int) {
        self.shards = shards
        self.shard = shard
    }

    /// The shard that polls `target` among `shards`.
    public static func shard(of target: String, shards: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a 64-bit offset basis
        for byte in target.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3  // FNV-1a 64-bit prime
        }
        return Int(hash % UInt64(max(1, shards)))
    }

    /// Whether this replica polls `target`.
    public func owns(_ target: String) -> Bool {
        Self.shard(of: target, shards: shards) == shard
    }
}
