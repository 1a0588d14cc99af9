import Testing
@testable import DatabrainExporter

/// The shard of a target is FNV-1a 64 of its name modulo the shard count, the same on every
/// replica, version and platform; a configuration splits into disjoint shards that cover it.
@Suite struct ShardingTests {
    /// Expected values computed outside Swift from the formula the README documents, so a change
    /// of hash (or a seeded `Hasher` slipping in) fails here, not as targets polled twice in a cluster.
    @Test(arguments: [("production", 1, 2), ("self-hosted", 2, 4), ("acme-corp", 0, 0), ("t-1", 1, 1), ("t-2", 1, 3), ("t-3", 2, 4), ("", 2, 2)])
    func theShardOfANameIsStable(name: String, ofThree: Int, ofFive: Int) {
        #expect(Sharding.shard(of: name, shards: 3) == ofThree)
        #expect(Sharding.shard(of: name, shards: 5) == ofFive)
        #expect(Sharding.shard(of: name, shards: 1) == 0)
    }

    @Test func theShardsOfAConfigurationAreDisjointAndCoverIt() throws {
        let targets = (1...30).map { TargetConfig(name: "t-\($0)", url: "https://databrain.example", token: .value("t")) }
        let config = ExporterConfig(targets: targets)
        let owned = try (0..<3).map { config.owned(by: try Sharding(shards: 3, shard: $0)) }
        #expect(owned.flatMap { $0.targets.map(\.name) }.sorted() == targets.map(\.name).sorted())
        #expect(owned.allSatisfy { !$0.targets.isEmpty }, "30 names spread over 3 shards")
        #expect(owned.map(\.targets) == config.assignment(shards: 3), "--config.check prints what each replica polls")
        #expect(owned.allSatisfy { $0.configuredTargets == 30 && $0.sharding.shards == 3 })
        #expect(config.owned(by: .single).targets == targets)
    }

    @Test func aShardOutsideTheCountIsRefusedWithOneLine() {
        #expect(throws: ConfigError("shard 3 does not exist: --config.shard (or DATABRAIN_SHARD) must be 0 to 2 with --config.shards 3")) {
            try Sharding(shards: 3, shard: 3)
        }
        #expect(throws: ConfigError("--config.shards must be at least 1, not 0")) { try Sharding(shards: 0, shard: 0) }
    }
}
