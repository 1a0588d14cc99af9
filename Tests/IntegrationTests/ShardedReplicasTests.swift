import Foundation
import Testing

/// Three replicas (as uid 65532) split one configuration of 30 targets: every target is polled
/// by exactly one of them, each says which share it owns, and `--config.check` prints the same
/// assignment the replicas follow.
@Suite struct ShardedReplicasTests {
    @Test func threeShardsPollEveryTargetExactlyOnce() async throws {
        let simulator = try await Simulator(datasources: 2)
        let token = try TokenFile(simulator.token)
        let names = (1...30).map { "org-\($0)" }
        let file = "targets:\n" + names.map { "  - name: \($0)\n    url: \(simulator.baseURL)\n    token_file: \(token.path)\n    health: false\n" }.joined()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shards-\(UUID().uuidString).yml").path
        try Data(file.utf8).write(to: URL(fileURLWithPath: path))
        let common = ["--config.file", path, "--config.shards", "3", "--poll.interval", "300ms", "--poll.timeout", "250ms", "--log.level", "info"] + Exporter.unthrottled

        // Replicas 0 and 1 by flag; replica 2 as a StatefulSet starts it, by DATABRAIN_SHARD.
        var replicas: [Exporter] = []
        for shard in 0..<2 {
            replicas.append(try await Exporter(arguments: common + ["--config.shard", String(shard)], secrets: [simulator.token]))
        }
        replicas.append(try await Exporter(arguments: common, environment: ["DATABRAIN_SHARD": "2"], secrets: [simulator.token]))

        var polledBy: [[String]] = []
        for (shard, replica) in replicas.enumerated() {
            let scrape = try await replica.waitFor("replica \(shard) to have polled each of its targets") { scrape in
                guard let owned = scrape.value("databrain_exporter_shard_targets", ["shard": String(shard)]) else { return false }
                return scrape.samples.filter { $0.name == "databrain_up" && $0.value == 1 }.count == Int(owned)
            }
            polledBy.append(scrape.samples.filter { $0.name == "databrain_polls_total" }.compactMap { $0.labels["target"] }.sorted())
        }
        #expect(polledBy.flatMap { $0 }.sorted() == names.sorted(), "every target polled, and by one replica only")
        #expect(polledBy.allSatisfy { !$0.isEmpty })

        // The landing page says which share a replica owns.
        let landing = try await HTTP.get(replicas[1].baseURL + "/")
        #expect(landing.body.contains("Shard 1 of 3 (0 to 2): this replica polls \(polledBy[1].count) of the 30 configured targets"))

        // --config.check prints the assignment the replicas follow.
        let check = try ManagedProcess(name: "check", executable: BuildProducts.exporter,
                                       arguments: ["--config.file", path, "--config.shards", "3", "--config.check"], asServiceUser: true)
        #expect(try await check.waitForExit() == 0)
        for (shard, targets) in polledBy.enumerated() {
            let line = check.stdout.split(separator: "\n").first { $0.hasPrefix("shard \(shard) of 3") }.map(String.init) ?? ""
            let listed = line.split(separator: ":").last.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
            #expect(listed.sorted() == targets, "--config.check's line for shard \(shard): \(line)")
        }

        for replica in replicas { try await replica.stopAndCheckSecrets() }
    }
}
