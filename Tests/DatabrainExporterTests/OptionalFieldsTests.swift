import Testing
@testable import DatabrainExporter

/// Databrain's pages make some fields optional and older servers answer differently: one odd item
/// is skipped and counted, never allowed to take its collector (or `databrain_up`) down; only a
/// page in which no item has its identity fails as `decode`.
@Suite struct OptionalFieldsTests {
    private let harness = PollHarness()

    private func skipped(_ scrape: Exposition, _ endpoint: String) -> Double? {
        scrape[#"databrain_api_items_skipped_total{target="prod",endpoint="\#(endpoint)"}"#]
    }

    @Test func aDatasourceWithoutANameIsSkippedNotTheTarget() async {
        let api = ScriptedAPI(PollHarness.answer("/api/v2/datasource", body: #"{"data":[{"name":"pg"},{"name":null},{"type":"mysql"},{"name":"snow"}]}"#,
                                                 otherwise: ScriptedAPI.listing(["pg"])))
        #expect(await harness.poller(api).pollOnce() == nil)
        let scrape = harness.scrape()
        #expect(scrape[#"databrain_up{target="prod"}"#] == 1)
        #expect(scrape[#"databrain_datasources{target="prod"}"#] == 2)
        #expect(scrape.count("databrain_datasource_info") == 2)
        #expect(skipped(scrape, "datasource") == 2)
    }

    /// Pagination counts the items a page held as sent: a full page with one nameless item is
    /// not the last page.
    @Test func aSkippedItemDoesNotEndPagination() async {
        let names = (1...12).map { "ds-\($0)" }
        let api = ScriptedAPI { request in
            guard ScriptedAPI.path(request.url) == "/api/v2/datasource" else { return ScriptedAPI.listing(names)(request) }
            let page = ScriptedAPI.query(request.url, "pageNumber")
            let body = page == "1"
                ? #"{"data":[\#(names.prefix(9).map(ScriptedAPI.nameItem).joined(separator: ",")),{"name":null}]}"#
                : #"{"data":[\#(names.dropFirst(9).map(ScriptedAPI.nameItem).joined(separator: ","))]}"#
            return .success(ScriptedAPI.json(200, body))
        }
        await harness.poller(api, collectors: [.datasources], paginate: true).pollOnce()
        #expect(api.listRequests.count == 2)
        #expect(harness.scrape()[#"databrain_datasources{target="prod"}"#] == 12)
    }

    /// One warning when a list starts skipping, none while it goes on, one line when it stops.
    @Test func skippingIsLoggedWhenItStartsAndStops() async {
        let log = LogRecorder()
        let odd = PollHarness.answer("/api/v2/workspace", body: #"{"data":[{"name":"Finance"},{"name":null}],"error":null}"#, otherwise: ScriptedAPI.listing(["pg"]))
        let api = ScriptedAPI(odd)
        let poller = harness.poller(api, logger: log.logger())
        for _ in 1...3 { await poller.pollOnce() }
        let warnings = log.lines.filter { $0.level == .warning }
        #expect(warnings.count == 1, "\(warnings.map(\.message))")
        #expect(warnings.first?.metadata["collector"] == "workspaces")
        #expect(warnings.first?.metadata["skipped"] == "1")
        #expect(skipped(harness.scrape(), "workspace") == 3)
        api.answer(with: ScriptedAPI.listing(["pg"]))
        await poller.pollOnce()
        await poller.pollOnce()
        #expect(log.lines.filter { $0.message == "no item skipped any more" }.map { $0.metadata["collector"] } == ["workspaces"])
    }

    /// An embed without a name is named by its embedId, as Databrain names it; an embed without
    /// an embedId and a data app without a name are skipped; the rest of the page is recorded.
    @Test func dataAppsWithOptionalAndMissingFields() async {
        let body = #"""
        {"data":[
          {"name":"Partner Portal","embedCount":4,"embeds":[
            {"embedId":"rev-board-01","name":null},{"embedId":"churn-tile-07"},{"name":"no id"},{"embedId":"kpi","name":"KPI"}]},
          {"embedCount":2,"embeds":[]},
          {"name":"Bare"}
        ]}
        """#
        let api = ScriptedAPI(PollHarness.answer("/api/v2/data-app", body: body, otherwise: ScriptedAPI.listing(["pg"])))
        await harness.poller(api).pollOnce()
        let scrape = harness.scrape()
        #expect(scrape[#"databrain_collector_up{target="prod",collector="data_apps"}"#] == 1)
        #expect(scrape[#"databrain_data_apps{target="prod"}"#] == 2)
        #expect(scrape[#"databrain_embed_info{target="prod",data_app="Partner Portal",embed_id="rev-board-01",embed="rev-board-01"}"#] == 1)
        #expect(scrape[#"databrain_embed_info{target="prod",data_app="Partner Portal",embed_id="churn-tile-07",embed="churn-tile-07"}"#] == 1)
        #expect(scrape[#"databrain_embed_info{target="prod",data_app="Partner Portal",embed_id="kpi",embed="KPI"}"#] == 1)
        #expect(scrape.count("databrain_embed_info") == 3)
        #expect(scrape[#"databrain_data_app_embeds{target="prod",data_app="Partner Portal"}"#] == 4, "embedCount, the documented total")
        #expect(scrape[#"databrain_data_app_info{target="prod",data_app="Bare"}"#] == 1)
        #expect(scrape[#"databrain_data_app_embeds{target="prod",data_app="Bare"}"#] == nil, "no count given, none invented")
        #expect(skipped(scrape, "data_app") == 2, "one embed and one data app")
    }

    /// `"data": null` is an organisation without objects on every list, not a failure.
    @Test(arguments: CredentialRejectionTests.endpoints.map(\.path))
    func nullDataIsAnEmptyList(path: String) async {
        let api = ScriptedAPI(PollHarness.answer(path, body: #"{"data":null,"error":null}"#, otherwise: ScriptedAPI.listing(["pg"])))
        #expect(await harness.poller(api).pollOnce() == nil)
        let scrape = harness.scrape()
        #expect(scrape.values.filter { $0.key.hasPrefix("databrain_collector_up{") }.values.allSatisfy { $0 == 1 }, "\(path)")
    }

    /// An older self-hosted Databrain ignores expandDetails=false and sends every datamart with
    /// its tables and custom SQL: 100 of them still decode, nothing of the details is kept or
    /// exported, and the log says so once.
    @Test func expandedDatamartsFromAnOlderServer() async {
        let sql = String(repeating: "SELECT id, amount FROM orders WHERE tenant = 'x'; ", count: 200)
        let items = (1...100).map { index in
            #"{"name":"mart-\#(index)","companyIntegration":{"name":"pg"},"datamartTables":[{"tableName":"orders","schemaName":"public","columns":[{"name":"id"},{"name":"amount"}],"customSql":"\#(sql)"}],"datamartRelationships":[{"from":"orders","to":"customers"}]}"#
        }
        let body = #"{"data":[\#(items.joined(separator: ","))],"error":null}"#
        #expect(body.utf8.count > 1_000_000, "a realistic expanded answer")
        let log = LogRecorder()
        let api = ScriptedAPI(PollHarness.answer("/api/v2/data-app/datamarts", body: body, otherwise: ScriptedAPI.listing(["pg"])))
        let poller = harness.poller(api, logger: log.logger())
        await poller.pollOnce()
        await poller.pollOnce()
        let scrape = harness.scrape()
        #expect(scrape[#"databrain_collector_up{target="prod",collector="datamarts"}"#] == 1)
        #expect(scrape[#"databrain_datamarts{target="prod"}"#] == 100)
        #expect(!scrape.text.contains("SELECT") && !scrape.text.contains("orders"), "no detail reaches the exposition")
        let notices = log.lines.filter { $0.message.contains("expanded datamart details") }
        #expect(notices.count == 1 && notices.first?.metadata["collector"] == "datamarts")
    }

    /// A server older than the kebab-case data-app paths answers 404: the collector is down and
    /// one line names the likely cause.
    @Test(arguments: [CollectorName.dataApps, .datamarts])
    func aMissingDataAppPathNamesAnOlderServer(collector: CollectorName) async {
        let log = LogRecorder()
        let path = collector == .dataApps ? "/api/v2/data-app" : "/api/v2/data-app/datamarts"
        let api = ScriptedAPI(PollHarness.answer(path, status: 404, body: "<html>Cannot GET</html>", otherwise: ScriptedAPI.listing(["pg"])))
        let poller = harness.poller(api, collectors: [.datasources, collector], logger: log.logger())
        await poller.pollOnce()
        await poller.pollOnce()
        let warnings = log.lines.filter { $0.level == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.metadata["hint"]?.contains("predates the /api/v2/data-app paths") == true)
        #expect(warnings.first?.metadata["hint"]?.contains("--no-collector.\(collector.rawValue)") == true)
        #expect(harness.scrape()[#"databrain_collector_up{target="prod",collector="\#(collector.rawValue)"}"#] == 0)
        #expect(harness.scrape()[#"databrain_up{target="prod"}"#] == 1)
    }
}
