import FoundationEssentials
import Logging
import Synchronization
import Testing
@testable import DatabrainExporter

/// The server's announced rate limit, in every form Express servers send, and what the budget
/// makes of it: a budget fitted to the announced rate, and a pause once the window's remaining
/// requests are spent, before any 429.
@Suite struct RateLimitHeadersTests {
    private func parse(_ headers: [(String, String)], now: Date = Date(timeIntervalSince1970: 1_800_000_000)) -> RateLimitHeaders {
        RateLimitHeaders.parse(HTTPResponse(status: 200, headers: headers.map { (name: $0.0, value: $0.1) }), now: now)
    }

    @Test func draft6() {
        let announced = parse([("RateLimit-Policy", "500;w=120"), ("RateLimit-Limit", "500"), ("RateLimit-Remaining", "499"), ("RateLimit-Reset", "118")])
        #expect(announced == RateLimitHeaders(limit: 500, window: .seconds(120), remaining: 499, reset: .seconds(118)))
        #expect(announced.perMinute == 250)
    }

    @Test func draft7() {
        let announced = parse([("ratelimit-policy", "12;w=20"), ("ratelimit", "limit=12, remaining=0, reset=7")])
        #expect(announced == RateLimitHeaders(limit: 12, window: .seconds(20), remaining: 0, reset: .seconds(7)))
        #expect(announced.perMinute == 36)
    }

    /// Drafts 8 and later: structured fields, named policies, possibly several: the tightest counts.
    @Test func draft8WithSeveralPolicies() {
        let announced = parse([
            ("RateLimit-Policy", #""burst"; q=100; w=10; pk=:YWJj:, "per-2min"; q=500; w=120"#),
            ("RateLimit", #""burst"; r=97; t=4, "per-2min"; r=3; t=100"#),
        ])
        #expect(announced.limit == 500 && announced.window == .seconds(120), "500 per 2 minutes is tighter than 100 per 10 s")
        #expect(announced.remaining == 3 && announced.reset == .seconds(100))
    }

    /// Legacy `X-RateLimit-*`: the reset is a Unix time next to a Date header; no window is said.
    @Test func legacy() {
        let announced = parse([("X-RateLimit-Limit", "500"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "1800000030")])
        #expect(announced == RateLimitHeaders(limit: 500, window: nil, remaining: 0, reset: .seconds(30)))
        #expect(announced.perMinute == nil, "without a window the rate is unknown: only the pause applies")
    }

    /// Found by the rate-limit-headers fuzz target: "180e0000060" reads as infinity, and made a
    /// Duration it trapped, taking the exporter down with one bad header.
    @Test(arguments: ["180e0000060", "1e300", "inf", "nan"])
    func anAbsurdLegacyResetIsUnknownNotACrash(reset: String) {
        let announced = parse([("X-RateLimit-Limit", "500"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset)])
        #expect(announced.remaining == 0)
        #expect(announced.reset == nil)
    }

    /// Found by the rate-limit-headers fuzz target in CI: a negative limit was taken as announced,
    /// and the budget's reserve (a share of the limit) went negative with it.
    @Test(arguments: [
        [("RateLimit-Limit", "-1")], [("X-RateLimit-Limit", "-500")], [("RateLimit", "limit=-3")],
        [("RateLimit-Policy", "-10;w=60")], [("RateLimit-Policy", #""p"; q=-10; w=60"#)],
    ] as [[(String, String)]])
    func aNegativeLimitIsNoAnnouncement(headers: [(String, String)]) {
        #expect(parse(headers).limit == nil)
    }

    @Test(arguments: [
        [("RateLimit-Policy", "abc;w=x")], [("RateLimit", "limit=, remaining=-, reset=soon")], [("RateLimit-Remaining", "many")], [],
        [("X-RateLimit-Reset", "-5")], [("Content-Type", "application/json")],
    ] as [[(String, String)]])
    func nonsenseIsLeftOutNotGuessed(headers: [(String, String)]) {
        #expect(parse(headers).isEmpty)
    }

    // MARK: - The budget

    private static let origin = "https://databrain.example:443"
    private let metrics = ExporterMetrics()

    private let clock = VirtualClock()

    private func budget(configured: Int = 200, log: LogRecorder? = nil) -> OriginBudget {
        OriginBudget(origin: Self.origin, requestsPerMinute: configured, backoffBase: .seconds(1), metrics: metrics.origin(Self.origin),
                     logger: log?.logger() ?? Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, clock: clock)
    }

    private func scrape(_ name: String) -> Double? { Exposition(metrics)[#"\#(name){origin="\#(Self.origin)"}"#] }

    /// 12 per 20 s is 36 a minute: the budget becomes 80 % of that, is exported, and is logged
    /// once when it starts and once when it stops.
    @Test func theAnnouncedRateLowersTheBudgetAndSaysSo() {
        let log = LogRecorder()
        let budget = budget(log: log)
        #expect(scrape("databrain_api_rate_limit_requests") == nil, "absent until announced")
        budget.announced(RateLimitHeaders(limit: 12, window: .seconds(20), remaining: 11, reset: .seconds(20)))
        budget.announced(RateLimitHeaders(limit: 12, window: .seconds(20), remaining: 10, reset: .seconds(19)))
        #expect(scrape("databrain_api_request_budget_per_minute") == 28)
        #expect(scrape("databrain_api_rate_limit_requests") == 12)
        #expect(scrape("databrain_api_rate_limit_window_seconds") == 20)
        #expect(scrape("databrain_api_rate_limit_remaining") == 10)
        // The server's limit is raised above the configured budget: the configured one stands again.
        budget.announced(RateLimitHeaders(limit: 5000, window: .seconds(60), remaining: 4999, reset: .seconds(60)))
        #expect(scrape("databrain_api_request_budget_per_minute") == 200)
        let lines = log.lines.map(\.message)
        #expect(lines == ["the server's announced rate limit lowers the request budget", "the server's announced rate limit no longer lowers the request budget"], "\(lines)")
    }

    /// The configured budget is never raised by a generous server.
    @Test func aGenerousServerDoesNotRaiseTheBudget() {
        let budget = budget(configured: 50)
        budget.announced(RateLimitHeaders(limit: 500, window: .seconds(120), remaining: 499, reset: .seconds(120)))
        #expect(scrape("databrain_api_request_budget_per_minute") == 50)
    }

    /// Once only the neighbours' fifth of the window is left (2 of 10 here; nothing, where no
    /// limit is announced), every request of the origin waits for the announced reset, as after a
    /// Retry-After; the remaining requests are spent locally between answers.
    @Test func spentRemainingPausesTheOriginUntilTheReset() async throws {
        let budget = budget(configured: 6000)
        budget.announced(RateLimitHeaders(limit: 10, window: .seconds(60), remaining: 4, reset: .seconds(30)))
        let start = clock.now
        #expect(try await acquire(budget))
        #expect(try await acquire(budget))
        #expect((scrape("databrain_api_rate_limited_until_timestamp_seconds") ?? 0) == 0, "two requests were the exporter's: no pause yet")
        #expect(start.duration(to: clock.now) == .milliseconds(7500), "spaced at 80 % of the announced 10 a minute, not paused")
        var pauseShown = false
        #expect(try await acquire(budget, whileAsleep: { pauseShown = (scrape("databrain_api_rate_limited_until_timestamp_seconds") ?? 0) > 0 }))
        #expect(pauseShown, "the pause shows while it lasts")
        #expect(start.duration(to: clock.now) >= .seconds(30), "the third request went only at the window's reset")
        #expect(start.duration(to: clock.now) < .seconds(31))
    }

    /// Runs one `acquire` to its end on the virtual clock, moving it 10 ms whenever the request
    /// sleeps (`whileAsleep` runs at the first sleep).
    private func acquire(_ budget: OriginBudget, whileAsleep: () -> Void = {}) async throws -> Bool {
        final class Done: Sendable { let flag = Atomic(false) }
        let done = Done()
        let task = Task {
            defer { done.flag.store(true, ordering: .releasing) }
            return await budget.acquire()
        }
        var slept = false
        // Real time only bounds a wedged run; the budget itself sees virtual time alone.
        let deadline = ContinuousClock.now + .seconds(120)
        while !done.flag.load(ordering: .acquiring) {
            guard ContinuousClock.now < deadline else { task.cancel(); throw FixtureError("acquire did not return on the virtual clock") }
            if clock.sleepers > 0 {
                if !slept { whileAsleep() }
                slept = true
                clock.advance(by: .milliseconds(10))
            } else {
                // Not a yield loop: on a loaded machine it would hold a pool thread the budget needs.
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        return await task.value
    }
}

extension RateLimitHeadersTests {
    /// Without an announced limit only an empty window pauses: Remaining 0 waits for the reset.
    @Test func remainingZeroWithoutALimitPauses() async throws {
        let budget = budget(configured: 6000)
        budget.announced(RateLimitHeaders(remaining: 0, reset: .seconds(5)))
        let start = clock.now
        #expect(try await acquire(budget))
        #expect(start.duration(to: clock.now) >= .seconds(5), "the request went only after the window reset")
    }
}
