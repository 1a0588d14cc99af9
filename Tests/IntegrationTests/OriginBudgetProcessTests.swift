import Foundation
import Testing

/// The request budget in the real exporter (as uid 65532) against the simulator's per-client rate
/// limit: a 429 with `Retry-After` stops every target of the origin, the budget and the pause are
/// exported by origin, the schedule's need is logged and printed by `--config.check`, and SIGTERM
/// while every target waits out the pause exits 0.
@Suite struct OriginBudgetProcessTests {
    @Test func one429PausesEveryTargetOfTheOrigin() async throws {
        let simulator = try await Simulator(datasources: 2)
        let token = try TokenFile(simulator.token)
        let file = "targets:\n" + (1...4).map { "  - name: org-\($0)\n    url: \(simulator.baseURL)\n    token_file: \(token.path)\n" }.joined()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("budget-\(UUID().uuidString).yml").path
        try Data(file.utf8).write(to: URL(fileURLWithPath: path))
        let arguments = ["--config.file", path, "--poll.interval", "300ms", "--poll.timeout", "250ms", "--databrain.requests-per-minute", "600"]
        let origin = "http://127.0.0.1:\(simulator.baseURL.split(separator: ":").last!)"

        // What the schedule needs: 4 targets × 6 requests (four lists, live, ready) × 200 polls a minute.
        let check = try ManagedProcess(name: "check", executable: BuildProducts.exporter, arguments: arguments + ["--config.check"], asServiceUser: true)
        #expect(try await check.waitForExit() == 0)
        #expect(check.stdout.contains("origin \(origin): 4 target(s) need at least 4800 requests/min, budget 600/min (over the budget: polls are stretched to fit)"))

        // Ten requests a minute from this client, then 429 with Retry-After: 60.
        try await simulator.rateLimit(limit: 10, windowMilliseconds: 60_000, retryAfter: 60)
        let exporter = try await Exporter(arguments: arguments + ["--log.level", "info"], secrets: [simulator.token])
        let paused = try await exporter.waitFor("the origin to be paused") {
            ($0.value("databrain_api_rate_limited_until_timestamp_seconds", ["origin": origin]) ?? 0) > Date().timeIntervalSince1970 + 30
        }
        #expect(paused.value("databrain_api_request_budget_per_minute", ["origin": origin]) == 600)
        let sent = try await Self.requestsSeen(simulator)
        let limited = try await simulator.stats()["rate_limited", default: 0]
        #expect(limited >= 1 && limited <= 4, "only the requests already on their way when the first 429 came back are limited")
        // Every target now waits out the pause: time passes, nothing reaches the API.
        try await exporter.waitFor("the targets to wait out the pause together") {
            ($0.value("databrain_api_throttle_wait_seconds_total", ["origin": origin]) ?? 0) >= 4
        }
        #expect(try await Self.requestsSeen(simulator) == sent, "no target sent a request during the pause")
        #expect(exporter.process.stderr.contains("their polls are stretched to fit"))

        try await exporter.stopAndCheckSecrets()  // SIGTERM while every target waits: exit 0
    }

    /// Every request the simulator received: answered, health probes and rate-limited ones.
    static func requestsSeen(_ simulator: Simulator) async throws -> Int {
        let stats = try await simulator.stats()
        return stats["requests", default: 0] + stats["workspace_requests", default: 0] + stats["data_app_requests", default: 0] + stats["datamart_requests", default: 0] + stats["health_requests", default: 0]
            + stats["rate_limited", default: 0]
    }
}
