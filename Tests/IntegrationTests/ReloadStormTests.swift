import Foundation
import Locking
import Synchronization
import Testing

/// SIGHUP and `POST /-/reload` share one reload owner: a storm of both while the file keeps
/// changing ends with exactly the last file's targets, and scrapes are answered throughout.
@Suite struct ReloadStormTests {
    /// What the storm's clients saw.
    final class Tally: Sendable {
        let over = Atomic(false)
        let scrapes = Locked((count: 0, failed: [Int]()))
        let answers = Locked([Int: Int]())  // status → how many POST /-/reload got it
    }

    @Test func aStormOfReloadsEndsWithExactlyTheFinalFilesTargets() async throws {
        let simulator = try await Simulator(datasources: 2)
        let token = try TokenFile(simulator.token)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("storm-\(UUID().uuidString).yml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Long intervals: the storm is about reloads, not polls (each new target still polls once).
        let file = { (names: [String]) in
            "targets:\n" + names.map { "  - name: \($0)\n    url: \(simulator.baseURL)\n    token_file: \(token.path)\n    interval: 1h\n    timeout: 5s\n" }.joined()
        }
        try Data(file(["start"]).utf8).write(to: URL(fileURLWithPath: path))
        let exporter = try await Exporter(arguments: ["--config.file", path, "--log.level", "info"] + Exporter.unthrottled, secrets: [simulator.token])
        try await exporter.waitFor("target start") { $0.value("databrain_up", ["target": "start"]) == 1 }

        let tally = Tally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    while !tally.over.load(ordering: .relaxed) {
                        let status = try await HTTP.request("POST", exporter.baseURL + "/-/reload").status
                        tally.answers.withLock { $0[status, default: 0] += 1 }
                    }
                }
            }
            group.addTask {
                while !tally.over.load(ordering: .relaxed) {
                    let status = try await HTTP.get(exporter.baseURL + "/metrics").status
                    tally.scrapes.withLock { $0.count += 1; if status != 200 { $0.failed.append(status) } }
                }
            }
            // 300 rewrites, written in place (a reload may read half a file and reject it), a
            // SIGHUP after every third.
            for round in 0..<300 {
                try Data(file(["r\(round)-a", "r\(round)-b"]).utf8).write(to: URL(fileURLWithPath: path))
                if round % 3 == 0 { exporter.process.signal(SIGHUP) }
                try await Task.sleep(for: .milliseconds(1))
            }
            tally.over.store(true, ordering: .relaxed)
            try await group.waitForAll()
        }

        try Data(file(["final-a", "final-b"]).utf8).write(to: URL(fileURLWithPath: path))
        let last = try await HTTP.request("POST", exporter.baseURL + "/-/reload")
        #expect(last.status == 200, "the final reload: \(last.body)")
        // Answered only once applied: no target of the storm is left, at once.
        let after = try await exporter.scrape()
        let stale = Set((after.all("databrain_up") + after.all("databrain_polls_total")).compactMap { $0["target"] }).subtracting(["final-a", "final-b"])
        #expect(stale.isEmpty, "targets left over from the storm: \(stale.sorted())")
        let settled = try await exporter.waitFor("both final targets up") {
            $0.value("databrain_up", ["target": "final-a"]) == 1 && $0.value("databrain_up", ["target": "final-b"]) == 1
        }
        #expect(Set(settled.all("databrain_up").compactMap { $0["target"] }) == ["final-a", "final-b"])
        #expect(settled.value("databrain_exporter_config_last_reload_successful") == 1)

        let (scraped, failedScrapes) = tally.scrapes.withLock { ($0.count, $0.failed) }
        let reloadAnswers = tally.answers.withLock { $0 }
        #expect(scraped > 0 && failedScrapes.isEmpty, "scrapes answered during the storm: \(scraped), failed: \(failedScrapes)")
        #expect(Set(reloadAnswers.keys).isSubset(of: [200, 500]), "POST /-/reload answers: \(reloadAnswers)")
        #expect(reloadAnswers[200, default: 0] > 0)
        print("reload storm: \(reloadAnswers) POST answers, \(scraped) scrapes")
        try await exporter.stopAndCheckSecrets()
    }
}
