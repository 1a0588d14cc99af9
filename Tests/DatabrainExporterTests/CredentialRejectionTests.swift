import DocumentedAPI
import Testing
@testable import DatabrainExporter

/// Every credential rejection Databrain documents counts as one, whatever its status, on every
/// list: the datasource page's 401 `AUTHENTICATION_ERROR`, the data-app family's 400, the guest
/// page's `AUTHENTICATION_ERR`, the rotate-token page's `EXPIRED_SERVICE_TOKEN` (400 in one
/// version, 401 in the other: what every token becomes when a rotation's grace period ends), and
/// `INVALID_DATA_APP_API_KEY`. On the datasource list it is also the last poll's reason, which
/// `DatabrainAuthFailing` reads.
@Suite struct CredentialRejectionTests {
    private let harness = PollHarness()

    static let endpoints: [(path: String, label: String)] = [
        ("/api/v2/datasource", "datasource"), ("/api/v2/workspace", "workspace"),
        ("/api/v2/data-app", "data_app"), ("/api/v2/data-app/datamarts", "datamart"),
    ]
    static let codes = ["AUTHENTICATION_ERROR", "AUTHENTICATION_ERR", "EXPIRED_SERVICE_TOKEN", "INVALID_DATA_APP_API_KEY"]

    private func reason(_ scrape: Exposition, _ reason: String) -> Double? {
        scrape[#"databrain_last_poll_failure{target="prod",reason="\#(reason)"}"#]
    }

    @Test(arguments: [400, 401], codes)
    func eachDocumentedCodeIsARejectionOnEveryList(status: Int, code: String) async {
        for endpoint in Self.endpoints {
            let harness = PollHarness()
            let api = ScriptedAPI(PollHarness.answer(endpoint.path, status: status, body: #"{"error":{"code":"\#(code)","message":"m","status":\#(status)}}"#,
                                                     otherwise: ScriptedAPI.listing(["pg"])))
            await harness.poller(api).pollOnce()
            let scrape = harness.scrape()
            #expect(scrape[#"databrain_api_auth_errors_total{target="prod",endpoint="\#(endpoint.label)"}"#] == 1, "\(status) \(code) on \(endpoint.path)")
            let onDatasources = endpoint.label == "datasource"
            #expect(scrape[#"databrain_up{target="prod"}"#] == (onDatasources ? 0 : 1))
            #expect(reason(scrape, "credentials") == (onDatasources ? 1 : 0), "only the datasource list decides the target's reason")
            #expect(reason(scrape, "http_error") == 0)
        }
    }

    /// What each page documents for a bad token, and what the rotate-token page documents for an
    /// expired one (both versions), exactly as the simulator sends them: each is a rejection on
    /// its list.
    @Test(arguments: [DocumentedEndpoint.datasource, .workspace, .dataApp, .datamart])
    func eachListsDocumentedRejectionAndExpiryCount(endpoint: DocumentedEndpoint) async {
        for error in [endpoint.tokenRejection, .expiredToken(status: 400), .expiredToken(status: 401)] {
            let harness = PollHarness()
            let api = ScriptedAPI { request in
                ScriptedAPI.path(request.url) == endpoint.path ? .success(ScriptedAPI.documented(error)) : ScriptedAPI.listing(["pg"])(request)
            }
            await harness.poller(api).pollOnce()
            #expect(harness.scrape()[#"databrain_api_auth_errors_total{target="prod",endpoint="\#(endpoint.rawValue)"}"#] == 1, "\(error.status) \(error.code) on \(endpoint.path)")
        }
    }

    /// 401 and 403 reject the token with any body or none; a 400 about the request does not.
    @Test(arguments: [(401, "", "credentials"), (403, "", "credentials"), (403, #"{"error":{"code":"FORBIDDEN"}}"#, "credentials"),
                      (400, #"{"error":{"code":"INVALID_REQUEST_BODY","message":"m"}}"#, "http_error"), (400, "", "http_error"),
                      (500, "", "server_error"), (429, "Too many requests, please try again later.", "rate_limited")])
    func theStatusDecidesWhenTheBodySaysNothing(status: Int, body: String, expected: String) async {
        let api = ScriptedAPI(PollHarness.answer("/api/v2/datasource", status: status, body: body, otherwise: ScriptedAPI.listing(["pg"])))
        await harness.poller(api).pollOnce()
        let scrape = harness.scrape()
        #expect(reason(scrape, expected) == 1)
        #expect(PollFailure.reasons.filter { reason(scrape, $0) == 1 } == [expected], "exactly one reason is set")
        #expect(scrape[#"databrain_api_auth_errors_total{target="prod",endpoint="datasource"}"#] == (expected == "credentials" ? 1 : 0))
    }

    /// The reason is the last poll's: a rejection followed by a timeout says timeout, and a
    /// success clears every reason.
    @Test func theReasonIsTheLastPolls() async {
        let api = ScriptedAPI(PollHarness.answer("/api/v2/datasource", status: 400, body: #"{"error":{"code":"EXPIRED_SERVICE_TOKEN","message":"token already expired"}}"#,
                                                 otherwise: ScriptedAPI.listing(["pg"])))
        let poller = harness.poller(api)
        await poller.pollOnce()
        #expect(reason(harness.scrape(), "credentials") == 1)
        api.answer { request in
            ScriptedAPI.path(request.url) == "/api/v2/datasource"
                ? .failure(TransportFailure(reason: .timeout, detail: "timed out", duration: .seconds(5)))
                : ScriptedAPI.listing(["pg"])(request)
        }
        await poller.pollOnce()
        var scrape = harness.scrape()
        #expect(reason(scrape, "credentials") == 0)
        #expect(reason(scrape, "timeout") == 1)
        api.answer(with: ScriptedAPI.listing(["pg"]))
        await poller.pollOnce()
        scrape = harness.scrape()
        #expect(PollFailure.reasons.allSatisfy { reason(scrape, $0) == 0 }, "a success clears the reason")
        #expect(scrape[#"databrain_up{target="prod"}"#] == 1)
    }

    /// A token file that cannot be read is the token's problem too, not the network's.
    @Test func anUnreadableTokenFileIsItsOwnReason() async {
        let config = TargetConfig(name: "prod", url: ScriptedAPI.baseURL, token: .file("/nonexistent/databrain-token"), collectors: CollectorName.defaults)
        harness.board.setTargets([config])
        let poller = TargetPoller(config: config, slot: harness.slot, board: harness.board, logger: PollHarness.logger, http: ScriptedAPI(datasources: ["pg"]))
        await poller.pollOnce()
        #expect(reason(harness.scrape(), "token_file") == 1)
    }
}
