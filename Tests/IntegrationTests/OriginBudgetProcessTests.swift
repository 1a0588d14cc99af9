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

        // What the schedule needs: 4 targets × 4 lists × 200 polls a minute, and one round of live
        // and ready every 300 ms, shared by the four: 3200 + 400.
        let check = try ManagedProcess(name: "check", executable: BuildProducts.exporter, arguments: arguments + ["--config.check"], asServiceUser: true)
        #expect(try await check.waitForExit() == 0)
        #expect(check.stdout.contains("origin \(origin): 4 target(s) need at least 3600 requests/min, budget 600/min (over the budget: polls are stretched to fit)"))

        // Ten requests a minute from this client, then 429 with Retry-After: 60, from a server that
        // announces nothing (the exporter learns of the limit only from the 429).
        try await simulator.rateLimit(limit: 10, windowMilliseconds: 60_000, retryAfter: 60, headers: "none")
        let exporter = try await Exporter(arguments: arguments + ["--log.level", "info"], secrets: [simulator.token])
        let paused = try await exporter.waitFor("the origin to be paused") {
            ($0.value("databrain_api_rate_limited_until_timestamp_seconds", ["origin": origin]) ?? 0) > Date().timeIntervalSince1970 + 30
        }
        #expect(paused.value("databrain_api_request_budget_per_minute", ["origin": origin]) == 600)
        let sent = try await simulator.stats().received
        let limited = try await simulator.stats().rateLimited
        #expect(limited >= 1 && limited <= 4, "only the requests already on their way when the first 429 came back are limited")
        // Every target now waits out the pause: time passes, nothing reaches the API.
        try await exporter.waitFor("the targets to wait out the pause together") {
            ($0.value("databrain_api_throttle_wait_seconds_total", ["origin": origin]) ?? 0) >= 4
        }
        #expect(try await simulator.stats().received == sent, "no target sent a request during the pause")
        #expect(exporter.process.stderr.contains("their polls are stretched to fit"))

        try await exporter.stopAndCheckSecrets()  // SIGTERM while every target waits: exit 0
    }

    /// A server that announces its limit as express-rate-limit does (draft 6, a fixed window of 12
    /// requests per 3 s here): the budget fits 80 % of it, and once the first window is over no
    /// answer to the exporter is a 429, alone or with another client spending the same window
    /// from the same IP (it gets the 429s its own requests earn).
    @Test(arguments: [false, true])
    func anAnnouncedLimitIsKeptWithoutA429(neighbour: Bool) async throws {
        let simulator = try await Simulator(datasources: 2)
        try await simulator.rateLimit(limit: 12, windowMilliseconds: 3_000, headers: "draft6")
        let token = try TokenFile(simulator.token)
        let file = "targets:\n" + (1...2).map { "  - name: org-\($0)\n    url: \(simulator.baseURL)\n    token_file: \(token.path)\n" }.joined()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("announced-\(UUID().uuidString).yml").path
        try Data(file.utf8).write(to: URL(fileURLWithPath: path))
        let origin = "http://127.0.0.1:\(simulator.baseURL.split(separator: ":").last!)"
        let exporter = try await Exporter(arguments: ["--config.file", path, "--poll.interval", "300ms", "--poll.timeout", "250ms", "--log.level", "info"]
            + Exporter.unthrottled, secrets: [simulator.token])

        // The first answer announces 12 per 3 s, 240 a minute: the budget becomes 192.
        let fitted = try await exporter.waitFor("the budget fitted to the announced limit") {
            $0.value("databrain_api_request_budget_per_minute", ["origin": origin]) == 192
        }
        #expect(fitted.value("databrain_api_rate_limit_requests", ["origin": origin]) == 12)
        #expect(fitted.value("databrain_api_rate_limit_window_seconds", ["origin": origin]) == 3)
        try await exporter.waitFor("the log line saying so") { _ in exporter.process.stderr.contains("the server's announced rate limit lowers the request budget") }

        // Another client behind the same address spends part of every window.
        let neighbourLimited = Counter()
        let spender = Task {
            while neighbour && !Task.isCancelled {
                if let reply = try? await HTTP.get(simulator.baseURL + "/health/live"), reply.status == 429 { neighbourLimited.add() }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        defer { spender.cancel() }

        // The first window may still hold what was sent before the limit was known. Past it (a
        // window spent down to the reserve, then a new one), nothing the exporter sends is refused.
        try await exporter.waitFor("a window spent down to its reserve") { ($0.value("databrain_api_rate_limit_remaining", ["origin": origin]) ?? 99) <= 3 }
        try await exporter.waitFor("the next window") { ($0.value("databrain_api_rate_limit_remaining", ["origin": origin]) ?? 0) >= 8 }
        let limitedBefore = try await simulator.stats().rateLimited - neighbourLimited.value
        let seenBefore = try await simulator.stats().received
        try await eventually("three more windows of requests", timeout: .seconds(60)) {
            try await simulator.stats().received >= seenBefore + 27 ? true : nil
        }
        spender.cancel()
        _ = await spender.value
        let limitedAfter = try await simulator.stats().rateLimited - neighbourLimited.value
        #expect(limitedAfter == limitedBefore, "the exporter got \(limitedAfter - limitedBefore) 429s once the limit was known")
        let scrape = try await exporter.scrape()
        #expect(scrape.value("databrain_up", ["target": "org-1"]) == 1 && scrape.value("databrain_up", ["target": "org-2"]) == 1)
        try await exporter.stopAndCheckSecrets()
    }

}

/// A count shared with a task.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
