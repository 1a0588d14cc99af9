import DocumentedAPI
import Testing
@testable import DatabrainExporter

/// The `hasura` collector, the registry's proof: off by default, switched on per target with its
/// `hasura_url`, Hasura's three documented answers as a state set, no token sent to Hasura, and
/// no answer keeping the last state with the collector down.
@Suite struct HasuraCollectorTests {
    private let harness = PollHarness()
    private static let hasura = "http://hasura.example:8080"

    private func state(_ scrape: Exposition, _ state: String) -> Double? {
        scrape[#"databrain_hasura_health{target="prod",state="\#(state)"}"#]
    }

    private func api(_ answer: @escaping @Sendable () -> Result<HTTPResponse, TransportFailure>) -> ScriptedAPI {
        let listing = ScriptedAPI.listing(["pg"])
        return ScriptedAPI { request in request.url.hasPrefix(Self.hasura) ? answer() : listing(request) }
    }

    private func poller(_ api: ScriptedAPI) -> TargetPoller {
        harness.poller(api, collectors: CollectorName.defaults + [.hasura], collectorSettings: [.hasura: ["url": Self.hasura + "/"]])
    }

    @Test func itIsOffByDefaultAndNeedsItsURL() throws {
        #expect(!CollectorName.defaults.contains(.hasura))
        #expect(CollectorName(rawValue: "hasura") == .hasura)
        var config = TargetConfig(name: "prod", url: ScriptedAPI.baseURL, token: .value("t"), collectors: CollectorName.defaults + [.hasura])
        #expect(throws: ConfigError.self) { try config.validate() }
        config.collectorSettings = [.hasura: ["url": "hasura:8080"]]
        #expect(throws: ConfigError.self) { try config.validate() }
        config.collectorSettings = [.hasura: ["url": Self.hasura]]
        try config.validate()
        #expect(OriginPlan.requestsPerPoll(config) == OriginPlan.requestsPerPoll(TargetConfig(name: "p", url: ScriptedAPI.baseURL, token: .value("t"))),
                "Hasura is another origin: the Databrain budget does not count it")
    }

    @Test(arguments: DocumentedHasura.State.allCases)
    func eachDocumentedAnswerIsAState(answer: DocumentedHasura.State) async {
        let (status, body) = DocumentedHasura.healthz(answer)
        let api = api { .success(HTTPResponse(status: status, headers: [("Content-Type", "text/plain")], body: Array(body.utf8), duration: .milliseconds(1))) }
        #expect(await poller(api).pollOnce() == nil)
        let scrape = harness.scrape()
        for candidate in DocumentedHasura.State.allCases {
            #expect(state(scrape, candidate.rawValue) == (candidate == answer ? 1 : 0), "\(answer): \(candidate)")
        }
        #expect(scrape[#"databrain_collector_up{target="prod",collector="hasura"}"#] == 1, "Hasura answered: the collector is up, whatever it said")
        let healthz = api.requests.filter { $0.url.hasPrefix(Self.hasura) }
        #expect(healthz.map(\.url) == [Self.hasura + "/healthz"])
        #expect(healthz.allSatisfy { $0.header("Authorization") == nil }, "the Databrain token never goes to Hasura")
        #expect(scrape[#"databrain_up{target="prod"}"#] == 1)
    }

    /// No answer, or one that is none of Hasura's three, keeps the last state and turns only
    /// this collector down.
    @Test func noAnswerKeepsTheLastStateAndTurnsTheCollectorDown() async {
        let answers = [
            Result<HTTPResponse, TransportFailure>.success(HTTPResponse(status: 200, headers: [], body: Array("WARN: inconsistent objects in schema".utf8), duration: .zero)),
            .failure(TransportFailure(reason: .timeout, detail: "timed out", duration: .seconds(1))),
            .success(HTTPResponse(status: 404, headers: [], body: Array("<html>".utf8), duration: .zero)),
        ]
        let api = ScriptedAPI(datasources: ["pg"])
        let poller = poller(api)
        for (index, answer) in answers.enumerated() {
            let listing = ScriptedAPI.listing(["pg"])
            api.answer { request in request.url.hasPrefix(Self.hasura) ? answer : listing(request) }
            await poller.pollOnce()
            let scrape = harness.scrape()
            #expect(state(scrape, "warn") == 1, "answer \(index)")
            #expect(scrape[#"databrain_collector_up{target="prod",collector="hasura"}"#] == (index == 0 ? 1 : 0), "answer \(index)")
            #expect(scrape[#"databrain_up{target="prod"}"#] == 1, "answer \(index)")
        }
        #expect(harness.scrape()[#"databrain_api_requests_total{target="prod",endpoint="hasura",code="404"}"#] == 1)
    }

    /// Hasura's /healthz takes no token: a 401 or 404 there is the URL's fault, and the line
    /// says so instead of blaming the token or suggesting another collector's advice.
    @Test(arguments: [401, 404])
    func aRefusalNamesTheURLNotTheToken(status: Int) async {
        let log = LogRecorder()
        let api = api { .success(HTTPResponse(status: status, headers: [], body: Array("<html>".utf8), duration: .zero)) }
        let poller = harness.poller(api, collectors: CollectorName.defaults + [.hasura], collectorSettings: [.hasura: ["url": Self.hasura]], logger: log.logger())
        await poller.pollOnce()
        let warnings = log.lines.filter { $0.level == .warning }
        #expect(warnings.count == 1 && warnings.first?.metadata["collector"] == "hasura")
        let hint = warnings.first?.metadata["hint"] ?? ""
        #expect(hint.contains("hasura_url") && !hint.contains("token") && !hint.contains("data-app"), "\(hint)")
    }

    /// Turning it off removes its series.
    @Test func turningItOffRemovesItsSeries() async {
        let api = api { .success(HTTPResponse(status: 200, headers: [], body: Array("OK".utf8), duration: .zero)) }
        await poller(api).pollOnce()
        #expect(state(harness.scrape(), "ok") == 1)
        await harness.poller(api).pollOnce()
        #expect(harness.scrape().count("databrain_hasura_health") == 0)
        #expect(harness.scrape()[#"databrain_collector_up{target="prod",collector="hasura"}"#] == nil)
    }
}
