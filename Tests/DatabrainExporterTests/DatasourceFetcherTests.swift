import Testing
@testable import DatabrainExporter

/// The datasource client against a scripted API: which requests it makes, what it believes, and
/// what it records per exchange. libcurl is not involved (the process-level tests cover it).
@Suite struct DatasourceFetcherTests {
    private struct Fetched {
        var result: Result<[String], PollFailure>
        var records: [RequestRecord]
    }

    private func fetch(_ api: ScriptedAPI, paginate: Bool = false, maxPages: Int = 1000) async -> Fetched {
        let fetcher = ListFetcher(settings: FetchSettings(
            baseURL: ScriptedAPI.baseURL + "/", paginate: paginate, maxPages: maxPages, timeout: .seconds(1), maxBodyBytes: 1 << 20),
            endpoint: .datasources)
        var records: [RequestRecord] = []
        let result = await fetcher.fetchAll(transport: api, token: "opaque token") { records.append($0) }
        return Fetched(result: result.map(\.items), records: records)
    }

    private static func names(_ count: Int) -> [String] { (1...max(1, count)).prefix(count).map { "datasource-\($0)" } }

    @Test func withoutPaginationOneRequestCarriesTheTokenAndGetsEverything() async throws {
        let api = ScriptedAPI(datasources: Self.names(25))
        let fetched = await fetch(api)
        #expect(try fetched.result.get() == Self.names(25))
        #expect(api.requests.map(\.url) == ["\(ScriptedAPI.baseURL)/api/v2/datasource?isPagination=false"])
        #expect(api.requests.first?.header("Authorization") == "Bearer opaque token")
        #expect(api.requests.first?.header("Accept") == "application/json")
        #expect(fetched.records == [RequestRecord(status: 200, duration: .milliseconds(2), failure: nil)])
    }

    @Test func pagesAreFetchedInOrderUntilAShortPage() async throws {
        let api = ScriptedAPI(datasources: Self.names(25))
        let fetched = await fetch(api, paginate: true)
        #expect(try fetched.result.get() == Self.names(25))
        #expect(api.requests.map { ScriptedAPI.query($0.url, "pageNumber") } == ["1", "2", "3"])
        #expect(api.requests.allSatisfy { ScriptedAPI.query($0.url, "isPagination") == "true" })
        #expect(fetched.records.map(\.status) == [200, 200, 200])
    }

    @Test(arguments: [0, 10, 20])
    func aFullLastPageIsConfirmedByAnEmptyOne(count: Int) async throws {
        let api = ScriptedAPI(datasources: Self.names(count))
        #expect(try await fetch(api, paginate: true).result.get().count == count)
        #expect(api.requests.count == count / Pagination.pageSize + 1)
    }

    @Test func paginationThatDoesNotEndWithinMaxPagesFailsThePoll() async {
        let api = ScriptedAPI(datasources: Self.names(50))
        let fetched = await fetch(api, paginate: true, maxPages: 3)
        #expect(fetched.result == .failure(.pageLimit(3)))
        #expect(api.requests.count == 3)
        #expect(PollFailure.pageLimit(3).summary.contains("within 3 pages"))
    }

    @Test func aFailedPageFailsThePollAndNoPartialListIsReturned() async {
        let api = ScriptedAPI(datasources: Self.names(25))
        let listing = ScriptedAPI.listing(Self.names(25))
        api.answer { request in
            ScriptedAPI.query(request.url, "pageNumber") == "2" ? .success(ScriptedAPI.json(500, "")) : listing(request)
        }
        guard case .failure(.api(let error, _)) = await fetch(api, paginate: true).result else { Issue.record("a failed page 2 gave a list"); return }
        #expect(error.status == 500)
        #expect(api.requests.count == 2, "no page after the failed one")
    }

    @Test func aSameOriginRedirectIsFollowedWithTheToken() async throws {
        let api = ScriptedAPI(datasources: Self.names(3))
        let list = ScriptedAPI.json(200, #"{"data":["# + Self.names(3).map { #"{"name":"\#($0)"}"# }.joined(separator: ",") + "]}")
        let moved = "\(ScriptedAPI.baseURL)/v2/moved?isPagination=false"
        api.answer { request in
            request.url == moved ? .success(list) : .success(ScriptedAPI.redirect(307, to: moved))
        }
        let fetched = await fetch(api)
        #expect(try fetched.result.get() == Self.names(3))
        #expect(api.requests.map(\.url).last == moved)
        #expect(api.requests.allSatisfy { $0.header("Authorization") == "Bearer opaque token" })
        #expect(fetched.records.map(\.status) == [307, 200])
        #expect(fetched.records.allSatisfy { $0.failure == nil })
    }

    /// Another host, another port, or the same host over plain HTTP: the token would leave the
    /// origin it was configured for, so nothing is requested there.
    @Test(arguments: ["https://elsewhere.example/api/v2/datasource", "http://databrain.example/api/v2/datasource", "https://databrain.example:8443/api"])
    func aRedirectToAnotherOriginIsRefusedWithoutARequestThere(location: String) async {
        let api = ScriptedAPI { _ in .success(ScriptedAPI.redirect(302, to: location)) }
        let fetched = await fetch(api)
        guard case .failure(.redirect(let message)) = fetched.result else { Issue.record("followed \(location)"); return }
        #expect(message.contains("not followed"))
        #expect(!message.contains("opaque token"))
        #expect(api.requests.count == 1)
        #expect(fetched.records == [RequestRecord(status: 302, duration: .milliseconds(1), failure: .redirect)])
    }

    @Test func moreThanThreeRedirectsFail() async {
        let api = ScriptedAPI { request in .success(ScriptedAPI.redirect(307, to: request.url + "&again")) }
        let fetched = await fetch(api)
        #expect(fetched.result == .failure(.redirect("more than 3 redirects")))
        #expect(api.requests.count == FetchSettings.maxRedirects + 1)
        #expect(fetched.records.last?.failure == .redirect)
    }

    /// Classified by HTTP status first: the documented body adds its code, but a missing or
    /// foreign body changes nothing. A response is not a transport failure: no reason is recorded.
    @Test(arguments: [
        (400, APIError.Kind.badRequest, "INVALID_REQUEST_BODY"), (401, .authentication, "AUTHENTICATION_ERROR"),
        (403, .authentication, "AUTHENTICATION_ERROR"), (429, .rateLimited, "RATE_LIMITED"),
        (500, .server, "INTERNAL_SERVER_ERROR"), (503, .server, "INTERNAL_SERVER_ERROR"), (404, .other, "NOT_FOUND"),
    ] as [(Int, APIError.Kind, String)], [true, false])
    func anErrorStatusIsClassifiedByStatusWithOrWithoutABody(answer: (Int, APIError.Kind, String), withBody: Bool) async {
        let (status, kind, code) = answer
        let body = withBody ? #"{"error":{"code":"\#(code)","message":"m"}}"# : ""
        let api = ScriptedAPI { _ in .success(ScriptedAPI.json(status, body)) }
        let fetched = await fetch(api)
        guard case .failure(.api(let error, let retryAfter)) = fetched.result else { Issue.record("HTTP \(status) was not an API error"); return }
        #expect(error.status == status && error.kind == kind)
        #expect(error.code == (withBody ? code : nil))
        #expect(retryAfter == nil)
        #expect(fetched.records == [RequestRecord(status: status, duration: .milliseconds(2), failure: nil, rejectedCredentials: kind == .authentication)])
    }

    /// The data-app lists answer a bad token with 400 AUTHENTICATION_ERROR, the embed pages with
    /// INVALID_DATA_APP_API_KEY: a credential rejection whatever the status.
    @Test(arguments: [(400, "AUTHENTICATION_ERROR", true), (400, "INVALID_DATA_APP_API_KEY", true), (400, "AUTHENTICATION_ERR", true),
                      (400, "INVALID_REQUEST_BODY", false), (401, "", true), (500, "INTERNAL_SERVER_ERROR", false)] as [(Int, String, Bool)])
    func aRejectedTokenIsRecognisedWhateverTheStatus(status: Int, code: String, rejected: Bool) async {
        let body = code.isEmpty ? "" : #"{"error":{"code":"\#(code)","message":"m"}}"#
        let fetched = await fetch(ScriptedAPI { _ in .success(ScriptedAPI.json(status, body)) })
        #expect(fetched.records.map(\.rejectedCredentials) == [rejected])
    }

    @Test func retryAfterIsHonouredByTheNextDelay() async throws {
        let api = ScriptedAPI { _ in .success(ScriptedAPI.json(429, "", headers: [("retry-after", "2")])) }
        guard case .failure(let failure) = await fetch(api).result else { Issue.record("a 429 gave a list"); return }
        #expect(failure.retryAfter == .seconds(2))
        // Against a 300 ms interval the next poll waits the 2 s the server asked for, not 600 ms.
        var schedule = PollSchedule(interval: .milliseconds(300))
        #expect(schedule.delay(after: failure) >= .seconds(2))
    }

    /// 200 answers whose body is not `{"data":[{"name":…}]}`, or in which no item has a name:
    /// rejected whole. (One nameless item among named ones is skipped: OptionalFieldsTests.)
    @Test(arguments: [
        "<html>502 Bad Gateway</html>", #"{"data":[{"name":"a"}"#, #"{"data":{"name":"x"}}"#,
        #"{"data":[{"title":"x"}]}"#, #"{"data":[{"name":1}]}"#, #"[{"name":"x"}]"#, "", "null",
    ])
    func aBodyOfTheWrongShapeIsADecodeFailure(body: String) async {
        let api = ScriptedAPI { _ in .success(ScriptedAPI.json(200, body)) }
        let fetched = await fetch(api)
        guard case .failure(.decode) = fetched.result else { Issue.record("accepted \(body)"); return }
        #expect(fetched.records == [RequestRecord(status: 200, duration: .milliseconds(2), failure: .decode)])
    }

    @Test(arguments: RequestFailureReason.allCases)
    func aTransportFailureIsRecordedUnderItsReason(reason: RequestFailureReason) async {
        let api = ScriptedAPI { _ in .failure(TransportFailure(reason: reason, detail: "what libcurl said", duration: .milliseconds(9))) }
        let fetched = await fetch(api)
        #expect(fetched.result == .failure(.transport(reason, "what libcurl said")))
        #expect(fetched.records == [RequestRecord(status: nil, duration: .milliseconds(9), failure: reason)])
    }
}
