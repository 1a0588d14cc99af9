import Testing
@testable import DatabrainExporter

/// The `workspaces` collector in a target's poll, on a scripted API: what it lists and records,
/// that its failures stay its own, and that turning it off removes its series.
@Suite struct WorkspacesCollectorTests {
    private let harness = PollHarness()
    private var board: TargetStatusBoard { harness.board }

    private func poller(_ api: ScriptedAPI, collectors: [CollectorName] = CollectorName.defaults) -> TargetPoller {
        harness.poller(api, collectors: collectors)
    }

    private func scrape() -> Exposition { harness.scrape() }

    @Test func aPollListsTheWorkspacesWithTheTokenAfterTheDatasources() async {
        let api = ScriptedAPI(datasources: ["pg"])
        #expect(await poller(api).pollOnce() == nil)
        #expect(api.requests.map { ScriptedAPI.path($0.url) } == ["/api/v2/datasource", "/api/v2/workspace", "/api/v2/data-app", "/api/v2/data-app/datamarts"])
        #expect(api.requests.allSatisfy { $0.header("Authorization") == "Bearer opaque token" })
        let scrape = scrape()
        #expect(scrape[#"databrain_workspaces{target="prod"}"#] == 2)
        #expect(scrape[#"databrain_workspace_info{target="prod",workspace="Finance"}"#] == 1)
        #expect(scrape[#"databrain_workspace_info{target="prod",workspace="Ops Overview"}"#] == 1)
        #expect(scrape[#"databrain_collector_up{target="prod",collector="workspaces"}"#] == 1)
        #expect(scrape[#"databrain_collector_up{target="prod",collector="datasources"}"#] == 1)
        #expect(scrape[#"databrain_api_requests_total{target="prod",endpoint="workspace",code="200"}"#] == 1)
        #expect(scrape[#"databrain_api_requests_total{target="prod",endpoint="datasource",code="200"}"#] == 1)
    }

    /// The docs disagree on whether a service token may read workspaces: a rejection there is the
    /// collector's failure, never databrain_up's, and the last list stays.
    @Test(arguments: [(400, "AUTHENTICATION_ERROR"), (401, "INVALID_DATA_APP_API_KEY"), (404, "NOT_FOUND"), (500, "INTERNAL_SERVER_ERROR")])
    func aFailingWorkspaceListChangesNothingButItsCollector(status: Int, code: String) async {
        let api = ScriptedAPI(datasources: ["pg"])
        let poller = poller(api)
        await poller.pollOnce()
        let listing = ScriptedAPI.listing(["pg"])
        api.answer { request in
            ScriptedAPI.path(request.url) == "/api/v2/workspace"
                ? .success(ScriptedAPI.json(status, #"{"error":{"code":"\#(code)","message":"m"}}"#)) : listing(request)
        }
        #expect(await poller.pollOnce() == nil, "the datasource list was fetched")
        let scrape = scrape()
        #expect(scrape[#"databrain_up{target="prod"}"#] == 1)
        #expect(scrape[#"databrain_collector_up{target="prod",collector="workspaces"}"#] == 0)
        #expect(scrape[#"databrain_workspaces{target="prod"}"#] == 2, "the last good list stays")
        #expect(scrape.count("databrain_workspace_info") == 2)
        let rejected = status == 401 || code == "AUTHENTICATION_ERROR"
        #expect(scrape[#"databrain_api_auth_errors_total{target="prod",endpoint="workspace"}"#] == (rejected ? 1 : 0))
        #expect(scrape[#"databrain_api_auth_errors_total{target="prod",endpoint="datasource"}"#] == 0)
        // The landing page: each collector's state and last good count.
        let collectors = board.snapshot().first?.collectors ?? []
        #expect(collectors == [
            CollectorStatus(name: .datasources, up: true, count: 1), CollectorStatus(name: .workspaces, up: false, count: 2),
            CollectorStatus(name: .dataApps, up: true, count: 1), CollectorStatus(name: .datamarts, up: true, count: 1),
        ])
        let html = LandingPage.render(telemetryPath: "/metrics", targets: board.snapshot())
        #expect(html.contains(#"<td>datasources <span class="good">ok</span> (1), workspaces <span class="bad">failed</span> (2), data_apps <span class="good">ok</span> (1), datamarts <span class="good">ok</span> (1)</td>"#))
    }

    @Test func addedAndRemovedWorkspacesAreCountedAfterTheBaseline() async {
        let api = ScriptedAPI(ScriptedAPI.listing(["pg"], workspaces: ["A", "B"]))
        let poller = poller(api)
        await poller.pollOnce()
        api.answer(with: ScriptedAPI.listing(["pg"], workspaces: ["B", "C", "D"]))
        await poller.pollOnce()
        let scrape = scrape()
        #expect(scrape[#"databrain_workspace_changes_total{target="prod",change="added"}"#] == 2)
        #expect(scrape[#"databrain_workspace_changes_total{target="prod",change="removed"}"#] == 1)
        #expect(scrape[#"databrain_workspace_info{target="prod",workspace="A"}"#] == nil)
        #expect(scrape[#"databrain_workspaces{target="prod"}"#] == 3)
    }

    @Test func turningTheCollectorOffRemovesItsSeriesAndItsRequests() async {
        let api = ScriptedAPI(datasources: ["pg"])
        await poller(api).pollOnce()
        #expect(scrape().count("databrain_workspace_info") == 2)
        // A reload turns it off: the restarted poller claims the same series without it.
        let restarted = poller(api, collectors: [.datasources])
        let before = api.requests.count
        await restarted.pollOnce()
        #expect(api.requests.dropFirst(before).map { ScriptedAPI.path($0.url) } == ["/api/v2/datasource"])
        let scrape = scrape()
        #expect(scrape.count("databrain_workspace_info") == 0)
        #expect(scrape[#"databrain_workspaces{target="prod"}"#] == nil)
        #expect(scrape[#"databrain_collector_up{target="prod",collector="workspaces"}"#] == nil)
        #expect(scrape[#"databrain_collector_up{target="prod",collector="datasources"}"#] == 1)
    }

    /// With every collector on, a poll asks only for the documented lists and health, never for
    /// `/api/v2/data-app/api-tokens` (live data-app keys) or anything else; the transport has no
    /// method but GET.
    @Test func aPollWithEveryCollectorAsksForNothingElse() async {
        let api = ScriptedAPI(datasources: ["pg"])
        await harness.poller(api, collectors: CollectorName.allCases, health: true, collectorSettings: [.hasura: ["url": "http://hasura.example:8080"]]).pollOnce()
        let asked = Set(api.requests.map { ScriptedAPI.path($0.url) })
        #expect(asked == ["/api/v2/datasource", "/api/v2/workspace", "/api/v2/data-app", "/api/v2/data-app/datamarts", "/health/live", "/health/ready", "/healthz"])
        #expect(api.requests.filter { ScriptedAPI.path($0.url) == "/healthz" }.map(\.url) == ["http://hasura.example:8080/healthz"], "Hasura's own origin")
        #expect(api.requests.first { ScriptedAPI.path($0.url) == "/api/v2/data-app/datamarts" }?.url.hasSuffix("&expandDetails=false") == true,
                "expanded datamarts carry schemas and SQL")
        #expect(!api.requests.contains { $0.url.contains("api-tokens") })
    }
}
