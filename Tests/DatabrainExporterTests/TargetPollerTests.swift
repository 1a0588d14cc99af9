import FoundationEssentials
import Logging
import Testing
@testable import DatabrainExporter

/// One target's poller against a scripted API: what a poll publishes, what a failed poll keeps,
/// where the token goes, and that the token file is read for every poll.
@Suite struct TargetPollerTests {
    private let metrics = ExporterMetrics()
    private let board = TargetStatusBoard()
    private static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Only the datasource list unless a test turns on more collectors.
    private func poller(_ api: ScriptedAPI, token: TokenSourceConfig = .value("opaque token"), health: Bool = true,
                        collectors: [CollectorName] = [.datasources]) -> TargetPoller {
        let config = TargetConfig(name: "prod", url: ScriptedAPI.baseURL, token: token, health: health, collectors: collectors)
        board.setTargets([config])
        return TargetPoller(config: config, slot: TargetSlot(metrics: metrics.makeTarget("prod")), board: board, logger: Self.logger, http: api)
    }

    @Test func aPollPublishesTheListAndProbesHealthWithoutTheToken() async {
        let api = ScriptedAPI(datasources: ["production-postgres", "analytics-snowflake", "warehouse-bigquery"])
        #expect(await poller(api).pollOnce() == nil)
        let scrape = Exposition(metrics)
        #expect(scrape[#"databrain_up{target="prod"}"#] == 1)
        #expect(scrape[#"databrain_datasources{target="prod"}"#] == 3)
        #expect(scrape[#"databrain_datasource_info{target="prod",datasource="analytics-snowflake"}"#] == 1)
        #expect(scrape[#"databrain_api_requests_total{target="prod",endpoint="datasource",code="200"}"#] == 1, "health probes are not API requests")
        #expect(scrape[#"databrain_health_ready{target="prod"}"#] == 1)
        #expect(api.requests.map { $0.url.split(separator: "?")[0] } == [
            "\(ScriptedAPI.baseURL)/api/v2/datasource", "\(ScriptedAPI.baseURL)/health/live", "\(ScriptedAPI.baseURL)/health/ready",
        ])
        #expect(api.requests.map { $0.header("Authorization") } == ["Bearer opaque token", nil, nil])
        #expect(board.snapshot().first { $0.name == "prod" }?.datasources == 3)
    }

    @Test func withHealthOffOnlyTheListIsRequested() async {
        let api = ScriptedAPI(datasources: ["a"])
        #expect(await poller(api, health: false).pollOnce() == nil)
        #expect(api.requests.count == 1)
        #expect(Exposition(metrics).count("databrain_health_ready") == 0)
    }

    @Test func aFailedPollKeepsTheLastListAndDropsUp() async {
        let api = ScriptedAPI(datasources: ["a", "b", "c"])
        let poller = poller(api)
        await poller.pollOnce()
        api.answer { request in
            ScriptedAPI.path(request.url).hasPrefix("/health/") ? ScriptedAPI.listing([])(request)
                : .success(ScriptedAPI.json(401, #"{"error":{"code":"AUTHENTICATION_ERROR","message":"Invalid service token"}}"#))
        }
        let failure = await poller.pollOnce()
        #expect(failure?.summary == "HTTP 401 AUTHENTICATION_ERROR: Invalid service token")
        let scrape = Exposition(metrics)
        #expect(scrape[#"databrain_up{target="prod"}"#] == 0)
        #expect(scrape[#"databrain_datasources{target="prod"}"#] == 3)
        #expect(scrape.count("databrain_datasource_info") == 3)
        #expect(scrape[#"databrain_api_requests_total{target="prod",endpoint="datasource",code="401"}"#] == 1)
        #expect(scrape[#"databrain_poll_failures_total{target="prod"}"#] == 1)
        #expect(scrape[#"databrain_polls_total{target="prod"}"#] == 2)
        #expect(board.snapshot().first?.lastError == failure?.summary)
    }

    @Test func theTokenFileIsReadAgainForEveryPoll() async throws {
        let path = try TemporaryFile.write("first-token\n", name: "token")
        let api = ScriptedAPI(datasources: ["a"])
        let poller = poller(api, token: .file(path), health: false)
        await poller.pollOnce()
        try Data("rotated-token\n".utf8).write(to: URL(fileURLWithPath: path))
        await poller.pollOnce()
        #expect(api.requests.map { $0.header("Authorization") } == ["Bearer first-token", "Bearer rotated-token"])
    }

    @Test func anUnreadableTokenFileFailsThePollWithoutARequest() async {
        let api = ScriptedAPI(datasources: ["a"])
        let failure = await poller(api, token: .file("/nonexistent/token"), health: false).pollOnce()
        #expect(failure?.summary.contains("/nonexistent/token") == true)
        #expect(api.requests.isEmpty)
        #expect(Exposition(metrics)[#"databrain_up{target="prod"}"#] == 0)
    }

    /// A restart gives the new poller the old one's series (counters must not reset); a poll the
    /// old poller was still finishing must not overwrite what the new one recorded.
    @Test func aRestartedTargetsOldPollerCannotRecordOverItsReplacement() async {
        let api = ScriptedAPI(datasources: ["a", "b"])
        let config = TargetConfig(name: "prod", url: ScriptedAPI.baseURL, token: .value("t"), health: false)
        board.setTargets([config])
        let slot = TargetSlot(metrics: metrics.makeTarget("prod"))
        let old = TargetPoller(config: config, slot: slot, board: board, logger: Self.logger, http: api)
        let replacement = TargetPoller(config: config, slot: slot, board: board, logger: Self.logger, http: api)
        #expect(await replacement.pollOnce() == nil)
        api.answer { _ in .success(ScriptedAPI.json(500, "")) }
        #expect(await old.pollOnce() != nil, "the old poller's late poll fails")
        let scrape = Exposition(metrics)
        #expect(scrape[#"databrain_up{target="prod"}"#] == 1, "the replacement's success stands")
        #expect(scrape[#"databrain_polls_total{target="prod"}"#] == 1)
        #expect(scrape[#"databrain_api_requests_total{target="prod",endpoint="datasource",code="500"}"#] == 0)
        #expect(board.snapshot().first?.lastError == nil)
        #expect(board.snapshot().first { $0.name == "prod" }?.datasources == 2)
    }

    /// `--once` and the loop log through the same path: one line when the outcome changes (the
    /// first poll, a failure, a recovery), none while it stays.
    @Test func pollOnceLogsTransitionsAsTheLoopDoes() async {
        let log = LogRecorder()
        let api = ScriptedAPI(datasources: ["a"])
        let config = TargetConfig(name: "prod", url: ScriptedAPI.baseURL, token: .value("t"), health: false, collectors: [.datasources])
        board.setTargets([config])
        let poller = TargetPoller(config: config, slot: TargetSlot(metrics: metrics.makeTarget("prod")), board: board, logger: log.logger(), http: api)
        await poller.pollOnce()
        api.answer { _ in .success(ScriptedAPI.json(500, "")) }
        await poller.pollOnce()
        await poller.pollOnce()
        api.answer(with: ScriptedAPI.listing(["a"]))
        await poller.pollOnce()
        let lines = log.lines.filter { $0.level >= .info }.map(\.message)
        #expect(lines == ["first poll succeeded", "poll failed; keeping the last good datasource list", "poll recovered"], "\(lines)")
    }
}
