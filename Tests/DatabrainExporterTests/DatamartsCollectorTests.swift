import Testing
@testable import DatabrainExporter

/// The `datamarts` collector: what it asks for (never expanded details), the datamart → datasource
/// dependency computed against the same poll's datasource list, and its decoding rules.
@Suite struct DatamartsCollectorTests {
    private let harness = PollHarness()

    private func scrape() -> Exposition { harness.scrape() }

    private static let missing = #"databrain_datamart_datasource_missing{target="prod",datamart="orders-mart",datasource="pg"}"#

    @Test func theListIsAskedForWithoutDetailsOnEveryPage() async {
        let marts = (1...11).map { Datamart(name: "mart-\($0)", datasource: "pg") }
        let api = ScriptedAPI(ScriptedAPI.listing(["pg"], datamarts: marts))
        await harness.poller(api, paginate: true).pollOnce()
        let urls = api.requests.map(\.url).filter { ScriptedAPI.path($0) == "/api/v2/data-app/datamarts" }
        #expect(urls.count == 2)
        #expect(urls.allSatisfy { ScriptedAPI.query($0, "expandDetails") == "false" && ScriptedAPI.query($0, "isPagination") == "true" })
        #expect(scrape()[#"databrain_datamarts{target="prod"}"#] == 11)
    }

    @Test func aDatamartWhoseDatasourceIsGoneIsMissing() async {
        let api = ScriptedAPI(ScriptedAPI.listing(["pg", "snow"]))
        let poller = harness.poller(api)
        await poller.pollOnce()
        #expect(scrape()[#"databrain_datamart_info{target="prod",datamart="orders-mart",datasource="pg"}"#] == 1)
        #expect(scrape()[Self.missing] == 0)
        api.answer(with: ScriptedAPI.listing(["snow"], datamarts: [Datamart(name: "orders-mart", datasource: "pg")]))
        await poller.pollOnce()
        #expect(scrape()[Self.missing] == 1)
        #expect(scrape()[#"databrain_datasource_info{target="prod",datasource="pg"}"#] == nil)
        // The datamart is rebuilt on another datasource: its old series go with the old label.
        api.answer(with: ScriptedAPI.listing(["snow"], datamarts: [Datamart(name: "orders-mart", datasource: "snow")]))
        await poller.pollOnce()
        #expect(scrape()[Self.missing] == nil)
        #expect(scrape()[#"databrain_datamart_datasource_missing{target="prod",datamart="orders-mart",datasource="snow"}"#] == 0)
        #expect(scrape()[#"databrain_datamart_changes_total{target="prod",change="added"}"#] == 0, "the same datamart")
    }

    /// Without the same poll's datasource list there is nothing to compare with: the last value
    /// stays, and a datamart first seen then gets no dependency series yet.
    @Test func aFailedDatasourceListKeepsTheLastDependency() async {
        let api = ScriptedAPI(ScriptedAPI.listing(["snow"], datamarts: [Datamart(name: "orders-mart", datasource: "pg")]))
        let poller = harness.poller(api)
        await poller.pollOnce()
        #expect(scrape()[Self.missing] == 1)
        let marts = [Datamart(name: "orders-mart", datasource: "pg"), Datamart(name: "new-mart", datasource: "snow")]
        api.answer(with: PollHarness.answer("/api/v2/datasource", status: 500, body: #"{"error":{"code":"INTERNAL_SERVER_ERROR"}}"#,
                                            otherwise: ScriptedAPI.listing(["pg"], datamarts: marts)))
        #expect(await poller.pollOnce() != nil)
        let scrape = scrape()
        #expect(scrape[#"databrain_up{target="prod"}"#] == 0)
        #expect(scrape[#"databrain_collector_up{target="prod",collector="datamarts"}"#] == 1)
        #expect(scrape[Self.missing] == 1, "kept, not recomputed against nothing")
        #expect(scrape[#"databrain_datamart_info{target="prod",datamart="new-mart",datasource="snow"}"#] == 1)
        #expect(scrape[#"databrain_datamart_datasource_missing{target="prod",datamart="new-mart",datasource="snow"}"#] == nil)
    }

    @Test(arguments: [
        #"{"data":[{"name":"m","companyIntegration":{"name":"pg"}}]}"#,
        #"{"data":[{"name":"m","datamartOrganization":null,"companyIntegration":{"name":"pg","id":7}}],"error":null}"#,
        #"{"data":[{"name":"m","datamartOrganization":{"tenancyLevel":"TABLE"},"companyIntegration":{"name":"pg"},"createdAt":"x"}]}"#,
    ])
    func documentedShapesAreAccepted(body: String) async {
        let api = ScriptedAPI(PollHarness.answer("/api/v2/data-app/datamarts", body: body, otherwise: ScriptedAPI.listing(["pg"])))
        await harness.poller(api).pollOnce()
        #expect(scrape()[#"databrain_datamart_datasource_missing{target="prod",datamart="m",datasource="pg"}"#] == 0)
    }

    /// A datamart whose `companyIntegration` is null, absent or nameless is built on no
    /// datasource: reported with `datasource=""` and missing, while the rest of the page stands.
    @Test(arguments: [
        #"{"name":"m"}"#,
        #"{"name":"m","companyIntegration":null}"#,
        #"{"name":"m","companyIntegration":{}}"#,
    ])
    func aDatamartWithoutADatasourceIsMissingOne(item: String) async {
        let body = #"{"data":[\#(item),{"name":"k","companyIntegration":{"name":"pg"}}],"error":null}"#
        let api = ScriptedAPI(PollHarness.answer("/api/v2/data-app/datamarts", body: body, otherwise: ScriptedAPI.listing(["pg"])))
        await harness.poller(api).pollOnce()
        let scrape = scrape()
        #expect(scrape[#"databrain_collector_up{target="prod",collector="datamarts"}"#] == 1)
        #expect(scrape[#"databrain_datamart_info{target="prod",datamart="m",datasource=""}"#] == 1)
        #expect(scrape[#"databrain_datamart_datasource_missing{target="prod",datamart="m",datasource=""}"#] == 1)
        #expect(scrape[#"databrain_datamart_datasource_missing{target="prod",datamart="k",datasource="pg"}"#] == 0)
        #expect(scrape[#"databrain_api_items_skipped_total{target="prod",endpoint="datamart"}"#] == 0)
    }

    /// Only a page in which no datamart has a name fails; one nameless datamart is skipped.
    @Test func aPageOfDatamartsWithoutNamesRejectsThePage() async {
        let api = ScriptedAPI(PollHarness.answer("/api/v2/data-app/datamarts", body: #"{"data":[{"companyIntegration":{"name":"pg"}}]}"#,
                                                 otherwise: ScriptedAPI.listing(["pg"])))
        await harness.poller(api).pollOnce()
        let scrape = scrape()
        #expect(scrape[#"databrain_collector_up{target="prod",collector="datamarts"}"#] == 0)
        #expect(scrape[#"databrain_api_request_failures_total{target="prod",endpoint="datamart",reason="decode"}"#] == 1)
        #expect(scrape.count("databrain_datamart_info") == 0)
    }

    /// The docs disagree on which token may read datamarts. A token that may not says so once, in
    /// one line naming the collector, the answer and how to stop asking; recovery is one line too.
    @Test(arguments: [(403, "FORBIDDEN"), (400, "INVALID_DATA_APP_API_KEY"), (404, "NOT_FOUND")])
    func aTokenThatMayNotReadTheListSaysSoOnce(status: Int, code: String) async {
        let log = LogRecorder()
        let denied = PollHarness.answer("/api/v2/data-app/datamarts", status: status, body: #"{"error":{"code":"\#(code)","message":"m"}}"#,
                                        otherwise: ScriptedAPI.listing(["pg"]))
        let api = ScriptedAPI(denied)
        let poller = harness.poller(api, logger: log.logger())
        for _ in 1...3 { #expect(await poller.pollOnce() == nil, "databrain_up is unaffected") }
        let warnings = log.lines.filter { $0.level == .warning }
        #expect(warnings.count == 1, "\(warnings.map(\.message))")
        let line = warnings.first
        #expect(line?.metadata["collector"] == "datamarts")
        #expect(line?.metadata["error"]?.contains("\(status)") == true, "\(line?.metadata ?? [:])")
        #expect(line?.metadata["hint"]?.contains("--no-collector.datamarts") == true)
        #expect(harness.scrape()[#"databrain_collector_up{target="prod",collector="datamarts"}"#] == 0)
        api.answer(with: ScriptedAPI.listing(["pg"]))
        await poller.pollOnce()
        await poller.pollOnce()
        #expect(log.lines.filter { $0.message == "collector recovered" }.map { $0.metadata["collector"] } == ["datamarts"])
    }
}
