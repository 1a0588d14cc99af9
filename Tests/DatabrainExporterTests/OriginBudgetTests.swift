import Logging
import Locking
import Synchronization
import Testing
@testable import DatabrainExporter

/// One request budget per origin, in-process: pollers of many targets behind it on a scripted API
/// that rate-limits as Databrain does, on virtual time (``VirtualClock``): the clock moves only
/// when every poller is asleep on it, so the counts are exact whatever the machine's load.
@Suite struct OriginBudgetTests {
    private static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    private static let otherOrigin = "https://other.example"
    private let metrics = ExporterMetrics()

    /// A supervisor whose pollers reach `api` through `budgets`, as the exporter's factory builds them.
    private func supervisor(_ api: ScriptedAPI, budgets: OriginBudgets, clock: any PollClock = SystemPollClock()) -> PollerSupervisor {
        let board = TargetStatusBoard()
        return PollerSupervisor(metrics: metrics, board: board, logger: Self.logger, factory: PollerFactory(budgets: budgets) { config, slot in
            TargetPoller(config: config, slot: slot, board: board, logger: Self.logger, http: BudgetedTransport(api, budgets: budgets), clock: clock)
        })
    }

    /// Moves `clock` by `step` until `done` holds, each time only once all `pollers` are asleep on
    /// it (in their schedule or their budget), so everything due has run before time moves.
    private func drive(_ clock: VirtualClock, pollers: Int, step: Duration = .milliseconds(50), for limit: Duration,
                       until done: () -> Bool = { false }) async throws {
        let end = clock.now + limit
        while clock.now < end, !done() {
            try await waitUntil("every poller asleep") { clock.sleepers == pollers }
            clock.advance(by: step)
        }
    }

    private func targets(_ count: Int, prefix: String, url: String = ScriptedAPI.baseURL, interval: Duration) -> [TargetConfig] {
        (1...count).map { TargetConfig(name: "\(prefix)-\($0)", url: url, token: .value("t"), interval: interval, timeout: .milliseconds(90), health: false,
                                       collectors: [.datasources]) }
    }

    private func scrape() -> Exposition { Exposition(metrics) }

    @Test func twentyTargetsOnOneOriginStayUnderTheLimitAndEveryOneIsPolled() async throws {
        // 20 targets polling every 5 s need 240 requests a minute; the API allows 120 in any
        // minute from this client; the budget is 100.
        let clock = VirtualClock()
        let limit = SlidingWindowLimit(limit: 120, per: .seconds(60), clock: clock)
        let api = ScriptedAPI(limit.handler(wrapping: ScriptedAPI.listing(["a"])))
        let budgets = OriginBudgets(metrics: metrics, period: .seconds(60), clock: clock)
        var config = ExporterConfig(targets: targets(20, prefix: "org", interval: .seconds(5)))
        config.requestsPerMinute = 100
        let supervisor = supervisor(api, budgets: budgets, clock: clock)
        defer { supervisor.stopAll() }
        supervisor.apply(config)

        try await drive(clock, pollers: 20, for: .seconds(180))
        #expect(limit.limitedCount == 0, "the budget keeps the exporter under the API's limit")
        // Three minutes at 100 a minute, with a burst of a tenth of the budget first.
        #expect(api.requests.count <= 310 && api.requests.count >= 290, "\(api.requests.count) requests")
        let polls = (1...20).map { scrape()[#"databrain_polls_total{target="org-\#($0)"}"#] ?? 0 }
        #expect(polls.allSatisfy { $0 >= 14 }, "first come, first served: no target starves (\(polls))")
        #expect((1...20).allSatisfy { scrape()[#"databrain_up{target="org-\#($0)"}"#] == 1 })
        #expect(scrape()[#"databrain_api_request_budget_per_minute{origin="https://databrain.example:443"}"#] == 100)
        #expect((scrape()[#"databrain_api_throttle_wait_seconds_total{origin="https://databrain.example:443"}"#] ?? 0) > 0)
    }

    @Test func aRetryAfterPausesEveryTargetOfTheOriginAndNoOther() async throws {
        final class Log: Sendable {
            let armed = Atomic(false)
            let limitedAt = Locked<ContinuousClock.Instant?>(nil)
            let arrivals = Locked<[(url: String, at: ContinuousClock.Instant)]>([])
        }
        let log = Log()
        let clock = VirtualClock()
        // A server that announces nothing: only the 429 says there is a limit.
        let listing = ScriptedAPI.unannounced(ScriptedAPI.listing(["a"]))
        let api = ScriptedAPI { request in
            let now = clock.now
            log.arrivals.withLock { $0.append((request.url, now)) }
            // Once armed, the first request to the origin is told to wait 2 seconds.
            if request.url.hasPrefix(ScriptedAPI.baseURL), log.armed.load(ordering: .relaxed),
               log.limitedAt.withLock({ limited in limited == nil ? { limited = now; return true }() : false }) {
                return .success(ScriptedAPI.json(429, #"{"error":{"code":"RATE_LIMITED"}}"#, headers: [("Retry-After", "2")]))
            }
            return listing(request)
        }
        let budgets = OriginBudgets(metrics: metrics, period: .seconds(60), clock: clock)
        var config = ExporterConfig(targets: targets(5, prefix: "org", interval: .milliseconds(500))
            + targets(2, prefix: "other", url: Self.otherOrigin, interval: .milliseconds(500)))
        config.requestsPerMinute = 6000
        let supervisor = supervisor(api, budgets: budgets, clock: clock)
        defer { supervisor.stopAll() }
        supervisor.apply(config)
        try await drive(clock, pollers: 7, for: .seconds(2))
        #expect((1...5).allSatisfy { scrape()[#"databrain_up{target="org-\#($0)"}"#] == 1 })

        log.armed.store(true, ordering: .relaxed)
        try await drive(clock, pollers: 7, for: .seconds(5)) { log.limitedAt.withLock { $0 } != nil }
        let limitedAt = try #require(log.limitedAt.withLock { $0 })
        try await drive(clock, pollers: 7, for: .seconds(4))
        let arrivals = log.arrivals.withLock { $0 }
        let duringPause = arrivals.filter { $0.at > limitedAt && $0.at < limitedAt + .seconds(2) }
        #expect(!duringPause.contains { $0.url.hasPrefix(ScriptedAPI.baseURL) }, "no target of the limited origin sent anything for Retry-After")
        #expect(duringPause.filter { $0.url.hasPrefix(Self.otherOrigin) }.count >= 6, "the other origin kept polling")
        let after = arrivals.filter { $0.url.hasPrefix(ScriptedAPI.baseURL) && $0.at >= limitedAt + .seconds(2) }
        #expect(after.count >= 5, "every target of the origin polls again after the pause")
        // Each of the five waited from its next poll (at most an interval after the 429) to the pause's end.
        let waited = scrape()[#"databrain_api_throttle_wait_seconds_total{origin="https://databrain.example:443"}"#] ?? 0
        #expect(waited >= 4 * 1.5 && waited <= 5 * 2.1, "\(waited) s waited")
        #expect(scrape()[#"databrain_api_throttle_wait_seconds_total{origin="https://other.example:443"}"#] == 0)
    }

    /// A request the budget had already let go, on its way to the wire when another target's
    /// 429 is read, is held: nothing of it reaches the API until Retry-After has passed, and then
    /// it goes once, with a new slot. On virtual time: the pause lasts until the test moves the clock.
    @Test func aPauseHoldsARequestAlreadyHandedOn() async throws {
        final class Events: Sendable {
            let firstHanding = Atomic(true)
            let limitRead = Atomic(false)
        }
        let events = Events()
        let clock = VirtualClock()
        let budgets = OriginBudgets(metrics: metrics, period: .seconds(60), clock: clock)
        var config = ExporterConfig(targets: targets(2, prefix: "org", interval: .seconds(60)))
        config.requestsPerMinute = 6000
        budgets.apply(config)
        let listing = ScriptedAPI.unannounced(ScriptedAPI.listing(["a"]))
        let api = ScriptedAPI(onHanded: { request in
            // The datasource request, the first time: handed on, then held up until the 429 has been read.
            guard ScriptedAPI.path(request.url) == "/api/v2/datasource", events.firstHanding.exchange(false, ordering: .relaxed) else { return }
            while !events.limitRead.load(ordering: .relaxed) { try? await Task.sleep(for: .milliseconds(5)) }
        }) { request in
            guard ScriptedAPI.path(request.url) == "/api/v2/workspace" else { return listing(request) }
            return .success(ScriptedAPI.json(429, "Too many requests, please try again later.", headers: [("Retry-After", "20")]))
        }
        let transport = BudgetedTransport(api, budgets: budgets)
        let datasources = HTTPRequest(url: ScriptedAPI.baseURL + "/api/v2/datasource", timeout: .seconds(5), maxBodyBytes: 1 << 20)
        let workspaces = HTTPRequest(url: ScriptedAPI.baseURL + "/api/v2/workspace", timeout: .seconds(5), maxBodyBytes: 1 << 20)
        let held = Task { await transport.get(datasources) }
        try await waitUntil("the datasource request handed on") { !events.firstHanding.load(ordering: .relaxed) }
        guard case .success(let limited) = await transport.get(workspaces) else { Issue.record("no 429"); return }
        #expect(limited.status == 429)
        events.limitRead.store(true, ordering: .relaxed)
        // The held request waits out the pause on the clock; nothing of it has reached the API.
        try await waitUntil("the held request asleep until Retry-After") { clock.sleepers == 1 }
        #expect(api.requests.filter { ScriptedAPI.path($0.url) == "/api/v2/datasource" }.isEmpty, "nothing reached the API during the pause")
        for _ in 0..<20 { clock.advance(by: .seconds(1)) }
        guard case .success(let answer) = await held.value else { Issue.record("the held request failed"); return }
        #expect(answer.status == 200, "after the pause it goes")
        #expect(api.requests.filter { ScriptedAPI.path($0.url) == "/api/v2/datasource" }.count == 1, "held once, sent once")
    }

    @Test func a503WithoutRetryAfterIsAnAnswerNotAPause() async throws {
        let listing = ScriptedAPI.listing(["a"])
        let api = ScriptedAPI { request in
            ScriptedAPI.path(request.url) == "/health/ready" ? .success(ScriptedAPI.json(503, #"{"status":"not_ready","checks":{}}"#)) : listing(request)
        }
        let budgets = OriginBudgets(metrics: metrics)
        var target = targets(1, prefix: "org", interval: .milliseconds(100))[0]
        target.health = true
        let supervisor = supervisor(api, budgets: budgets)
        defer { supervisor.stopAll() }
        supervisor.apply(ExporterConfig(targets: [target]))
        try await waitUntil("three polls with a not-ready answer") { (scrape()[#"databrain_polls_total{target="org-1"}"#] ?? 0) >= 3 }
        #expect(scrape()[#"databrain_health_ready{target="org-1"}"#] == 0)
        #expect(scrape()[#"databrain_api_rate_limited_until_timestamp_seconds{origin="https://databrain.example:443"}"#] == 0)
    }

    @Test func withoutRetryAfterTheOriginBacksOffAsATargetWould() {
        #expect(BackoffRule.delay(base: .seconds(1), count: 1) == .seconds(2))
        #expect(BackoffRule.delay(base: .seconds(1), count: 3) == .seconds(8))
        #expect(BackoffRule.delay(base: .seconds(1), count: 9) == .seconds(10), "capped at 10 intervals")
        #expect(BackoffRule.delay(base: .seconds(120), count: 9) == .seconds(600), "or 10 minutes")
    }

    @Test func thePlanSaysWhatEachOriginNeedsAgainstItsBudget() {
        var config = ExporterConfig(targets: [
            TargetConfig(name: "a", url: "https://api.usedatabrain.com", token: .value("t"), interval: .seconds(60), health: true),
            TargetConfig(name: "b", url: "https://API.usedatabrain.com/", token: .value("t"), interval: .seconds(30), health: true),
            TargetConfig(name: "c", url: "http://databrain.internal:8080", token: .value("t"), interval: .seconds(5), health: false),
        ])
        config.originBudgets = ["http://databrain.internal:8080": 10]
        let plans = OriginPlan.plans(for: config)
        #expect(plans.map(\.origin) == ["https://api.usedatabrain.com:443", "http://databrain.internal:8080"])
        #expect(plans.map(\.targets) == [["a", "b"], ["c"]])
        #expect(plans.map(\.neededPerMinute) == [16, 48], "4 lists a minute and 4 every 30 s, and one shared round of 2 probes every 30 s; 4 lists every 5 s")
        #expect(plans.map(\.budgetPerMinute) == [ExporterConfig.defaultRequestsPerMinute, 10])
        #expect(plans.map(\.exceedsBudget) == [false, true])
        #expect(plans[1].summary == "origin http://databrain.internal:8080: 1 target(s) need at least 48 requests/min, budget 10/min (over the budget: polls are stretched to fit)")
    }
}
