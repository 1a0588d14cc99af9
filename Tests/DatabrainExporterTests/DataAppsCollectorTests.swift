import Testing
@testable import DatabrainExporter

/// The `data_apps` collector in a target's poll: data apps with the embeds that come inside them,
/// the lenient and strict parts of decoding, and failures that stay in the collector.
@Suite struct DataAppsCollectorTests {
    private let harness = PollHarness()

    private func scrape() -> Exposition { harness.scrape() }

    @Test func aPollRecordsEachDataAppAndEmbed() async {
        let api = ScriptedAPI(datasources: ["pg"])
        #expect(await harness.poller(api).pollOnce() == nil)
        let scrape = scrape()
        #expect(scrape[#"databrain_data_apps{target="prod"}"#] == 1)
        #expect(scrape[#"databrain_data_app_info{target="prod",data_app="Partner Portal"}"#] == 1)
        #expect(scrape[#"databrain_data_app_embeds{target="prod",data_app="Partner Portal"}"#] == 2)
        #expect(scrape[#"databrain_embed_info{target="prod",data_app="Partner Portal",embed_id="rev-board-01",embed="Revenue board"}"#] == 1)
        #expect(scrape[#"databrain_embed_info{target="prod",data_app="Partner Portal",embed_id="churn-tile-07",embed="Churn tile"}"#] == 1)
        #expect(scrape[#"databrain_embed_updated_timestamp_seconds{target="prod",data_app="Partner Portal",embed_id="rev-board-01"}"#] == 1_741_193_600)
        #expect(scrape[#"databrain_collector_up{target="prod",collector="data_apps"}"#] == 1)
        #expect(scrape[#"databrain_api_requests_total{target="prod",endpoint="data_app",code="200"}"#] == 1)
    }

    @Test func twelveDataAppsComeOverTwoPages() async {
        let apps = (1...12).map { DataApp(name: "app-\($0)", embeds: [.init(embedId: "e\($0)", name: "E", updatedAt: nil)]) }
        let api = ScriptedAPI(ScriptedAPI.listing(["pg"], dataApps: apps))
        await harness.poller(api, paginate: true).pollOnce()
        let pages = api.requests.filter { ScriptedAPI.path($0.url) == "/api/v2/data-app" }.map { ScriptedAPI.query($0.url, "pageNumber") }
        #expect(pages == ["1", "2"])
        #expect(scrape()[#"databrain_data_apps{target="prod"}"#] == 12)
        #expect(scrape().count("databrain_embed_info") == 12)
        #expect(scrape().count("databrain_embed_updated_timestamp_seconds") == 0, "no updatedAt, no timestamp series")
    }

    /// An embed removed counts once and its series go; a renamed one (same embedId) changes its
    /// label, not the counters; a data app removed takes its embeds with it.
    @Test func changesAreCountedByIdentity() async {
        let api = ScriptedAPI(datasources: ["pg"])
        let poller = harness.poller(api)
        await poller.pollOnce()
        api.answer(with: ScriptedAPI.listing(["pg"], dataApps: [
            DataApp(name: "Partner Portal", embeds: [.init(embedId: "rev-board-01", name: "Revenue (new)", updatedAt: 1_741_200_000)]),
            DataApp(name: "Ops", embeds: []),
        ]))
        await poller.pollOnce()
        var scrape = scrape()
        #expect(scrape[#"databrain_embed_changes_total{target="prod",change="removed"}"#] == 1)
        #expect(scrape[#"databrain_embed_changes_total{target="prod",change="added"}"#] == 0)
        #expect(scrape[#"databrain_data_app_changes_total{target="prod",change="added"}"#] == 1)
        #expect(scrape[#"databrain_embed_info{target="prod",data_app="Partner Portal",embed_id="churn-tile-07",embed="Churn tile"}"#] == nil)
        #expect(scrape[#"databrain_embed_info{target="prod",data_app="Partner Portal",embed_id="rev-board-01",embed="Revenue (new)"}"#] == 1)
        #expect(scrape[#"databrain_embed_updated_timestamp_seconds{target="prod",data_app="Partner Portal",embed_id="rev-board-01"}"#] == 1_741_200_000)
        #expect(scrape[#"databrain_data_app_embeds{target="prod",data_app="Ops"}"#] == 0)
        api.answer(with: ScriptedAPI.listing(["pg"], dataApps: []))
        await poller.pollOnce()
        scrape = self.scrape()
        #expect(scrape[#"databrain_data_apps{target="prod"}"#] == 0)
        #expect(scrape.count("databrain_embed_info") == 0 && scrape.count("databrain_data_app_info") == 0)
        #expect(scrape[#"databrain_embed_changes_total{target="prod",change="removed"}"#] == 2)
        #expect(scrape[#"databrain_data_app_changes_total{target="prod",change="removed"}"#] == 2)
    }

    /// Lenient where no series depends on it: `error` null or absent, unknown fields, no embed
    /// list, an embed without a name (named by its embedId), timestamps with fractions or
    /// offsets. The count is embedCount whenever the answer has it.
    @Test(arguments: [
        (#"{"data":[{"name":"A","embedCount":3}],"error":null}"#, 3, 0),
        (#"{"data":[{"name":"A","embedCount":3,"embeds":null,"extra":{"x":1}}]}"#, 3, 0),
        (#"{"data":[{"name":"A","embedCount":9,"embeds":[{"embedId":"e","name":"E","updatedAt":"2025-03-02T08:05:00.5+01:00"}]}]}"#, 9, 1),
        (#"{"data":[{"name":"A","embeds":[{"embedId":"e","name":"E","updatedAt":null},{"embedId":"f","name":"F","updatedAt":"yesterday"}]}]}"#, 2, 2),
        (#"{"data":[{"name":"A","embedCount":1,"embeds":[{"embedId":"e"}]}]}"#, 1, 1),
    ])
    func lenientShapesAreRecorded(body: String, embeds: Double, embedSeries: Int) async {
        let api = ScriptedAPI(PollHarness.answer("/api/v2/data-app", body: body, otherwise: ScriptedAPI.listing(["pg"])))
        await harness.poller(api).pollOnce()
        let scrape = scrape()
        #expect(scrape[#"databrain_collector_up{target="prod",collector="data_apps"}"#] == 1)
        #expect(scrape[#"databrain_data_app_embeds{target="prod",data_app="A"}"#] == embeds, "embedCount, the documented total, wins over the list's length")
        #expect(scrape.count("databrain_embed_info") == embedSeries)
        let timestamps = scrape.values.filter { $0.key.hasPrefix("databrain_embed_updated_timestamp_seconds{") }
        #expect(timestamps.count == (body.contains("+01:00") ? 1 : 0), "only a readable updatedAt gives a series: \(timestamps)")
        #expect(timestamps.values.allSatisfy { $0 == 1_740_899_100.5 }, "08:05:00.5+01:00 is 07:05:00.5 UTC")
    }

    /// Strict where the page itself is wrong (no item, or no embed, has its identity; an error
    /// object on a 2xx; not JSON): the whole page is rejected as `decode`, the last good series
    /// stay, and nothing else changes.
    @Test(arguments: [
        #"{"data":[{"embedCount":1}]}"#,
        #"{"data":[{"name":"A","embeds":[{"name":"E"}]}]}"#,
        #"{"data":[],"error":{"code":"INTERNAL_SERVER_ERROR","message":"m"}}"#,
        #"{"data":[{"name":"A","embedCount":1}"#,
    ])
    func aPageMissingWhatASeriesNeedsIsRejectedWhole(body: String) async {
        let api = ScriptedAPI(datasources: ["pg"])
        let poller = harness.poller(api)
        await poller.pollOnce()
        api.answer(with: PollHarness.answer("/api/v2/data-app", body: body, otherwise: ScriptedAPI.listing(["pg"])))
        #expect(await poller.pollOnce() == nil)
        let scrape = scrape()
        #expect(scrape[#"databrain_up{target="prod"}"#] == 1)
        #expect(scrape[#"databrain_collector_up{target="prod",collector="data_apps"}"#] == 0)
        #expect(scrape[#"databrain_api_request_failures_total{target="prod",endpoint="data_app",reason="decode"}"#] == 1)
        #expect(scrape.count("databrain_embed_info") == 2, "the last good embeds stay")
        #expect(scrape[#"databrain_embed_changes_total{target="prod",change="removed"}"#] == 0)
        #expect(scrape[#"databrain_collector_up{target="prod",collector="datamarts"}"#] == 1, "the next collector still ran")
    }

    /// The data-app family documents a bad service token as 400 AUTHENTICATION_ERROR.
    @Test func aBadTokenAs400CountsAsAnAuthError() async {
        let api = ScriptedAPI(PollHarness.answer(
            "/api/v2/data-app", status: 400, body: #"{"error":{"code":"AUTHENTICATION_ERROR","message":"Invalid service token"}}"#,
            otherwise: ScriptedAPI.listing(["pg"])))
        #expect(await harness.poller(api).pollOnce() == nil)
        let scrape = scrape()
        #expect(scrape[#"databrain_api_auth_errors_total{target="prod",endpoint="data_app"}"#] == 1)
        #expect(scrape[#"databrain_api_requests_total{target="prod",endpoint="data_app",code="400"}"#] == 1)
        #expect(scrape[#"databrain_collector_up{target="prod",collector="data_apps"}"#] == 0)
        #expect(scrape[#"databrain_data_apps{target="prod"}"#] == nil, "nothing before a first success")
        #expect(scrape[#"databrain_up{target="prod"}"#] == 1)
    }
}
