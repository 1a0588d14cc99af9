import Foundation
import Testing

/// node_exporter's end-to-end test, for this exporter: the real binary (as uid 65532) with every
/// collector and the health probes on, against the simulator's organisation after a datasource,
/// an embed and the workspace list's permission went away. Its `/metrics` must equal
/// `Golden/every-collector.prom` line for line: every series with its labels, and the exact
/// value of every series that does not depend on timing (counts, presence, the dependency, the
/// change counters, collector states, the server's announced limit). Run with `UPDATE_GOLDEN=1` to rewrite the file, then
/// read the diff.
@Suite(.serialized) struct GoldenExpositionTests {
    static let golden = "Tests/IntegrationTests/Golden/every-collector.prom"

    /// Families whose values follow from the simulator's state alone; all others are timings,
    /// request counts or this build's identity, and are compared by their series only.
    static let exactFamilies: Set<String> = [
        "databrain_up", "databrain_datasources", "databrain_datasource_info", "databrain_datasource_changes_total",
        "databrain_collector_up", "databrain_workspaces", "databrain_workspace_info", "databrain_workspace_changes_total",
        "databrain_data_apps", "databrain_data_app_info", "databrain_data_app_embeds", "databrain_data_app_changes_total",
        "databrain_embed_info", "databrain_embed_updated_timestamp_seconds", "databrain_embed_changes_total",
        "databrain_datamarts", "databrain_datamart_info", "databrain_datamart_datasource_missing", "databrain_datamart_changes_total",
        "databrain_hasura_health",
        "databrain_health_live", "databrain_health_ready", "databrain_health_check_status",
        "databrain_api_request_budget_per_minute", "databrain_api_requests_needed_per_minute",
        "databrain_api_rate_limit_requests", "databrain_api_rate_limit_window_seconds",
        "databrain_exporter_shard_targets", "databrain_exporter_config_last_reload_successful",
    ]

    /// The exposition with every value outside ``exactFamilies`` replaced by `*`, the process's
    /// own series and the build's identity left out, the simulator's port spelt `PORT`, and the
    /// lines sorted by family (the registry's order is a dictionary's), so the file reads well.
    static func normalised(_ text: String) -> String {
        var lines: [(family: String, rank: Int, line: String)] = []
        for raw in text.split(separator: "\n").map(String.init) {
            let line = raw.replacing(/127\.0\.0\.1:\d+/, with: "127.0.0.1:PORT")
            if line.hasPrefix("#") {
                let family = String(line.split(separator: " ")[2])
                if !family.hasPrefix("process_") && family != "databrain_exporter_build_info" {
                    lines.append((family, line.hasPrefix("# HELP") ? 0 : 1, line))
                }
                continue
            }
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            let family = ["_bucket", "_sum", "_count"].first { name.hasSuffix($0) && !lines.contains { $0.family == name } }
                .map { String(name.dropLast($0.count)) } ?? name
            guard !family.hasPrefix("process_"), family != "databrain_exporter_build_info", let space = line.lastIndex(of: " ") else { continue }
            lines.append((family, 2, exactFamilies.contains(family) ? line : String(line[..<space]) + " *"))
        }
        return lines.sorted { ($0.family, $0.rank, $0.line) < ($1.family, $1.rank, $1.line) }.map(\.line).joined(separator: "\n") + "\n"
    }

    @Test func everyCollectorAfterADatasourceAnEmbedAndAPermissionWentAway() async throws {
        let simulator = try await Simulator(datasources: 3)
        // A server that announces its limit (draft 6, 100,000 per 2 minutes): the limit's series
        // appear, and the budget is fitted to 80 % of it.
        try await simulator.rateLimit(limit: 100_000, windowMilliseconds: 120_000, headers: "draft6")
        let tokenFile = try TokenFile(simulator.token)
        let exporter = try await Exporter(
            arguments: ["--databrain.url", simulator.baseURL, "--databrain.target-name", "sim", "--databrain.token-file", tokenFile.path,
                        "--poll.interval", "1s", "--poll.timeout", "900ms", "--collector.hasura", "--collector.hasura.url", simulator.baseURL]
                + Exporter.unthrottled,
            secrets: [simulator.token])
        let collectors = ["datasources", "workspaces", "data_apps", "datamarts", "hasura"]
        _ = try await exporter.waitFor("every collector up") { scrape in
            collectors.allSatisfy { scrape.value("databrain_collector_up", ["target": "sim", "collector": $0]) == 1 }
        }
        try await simulator.removeEmbed(dataApp: "Partner Portal", embedId: "churn-tile-07")
        try await simulator.removeDatasource("datasource-1")
        try await simulator.fault("kind=status&status=403&endpoint=workspace")
        _ = try await exporter.waitFor("the changes recorded") { scrape in
            scrape.value("databrain_datamart_datasource_missing", ["target": "sim", "datamart": "orders-mart", "datasource": "datasource-1"]) == 1
                && scrape.value("databrain_collector_up", ["target": "sim", "collector": "workspaces"]) == 0
                && scrape.value("databrain_embed_changes_total", ["target": "sim", "change": "removed"]) == 1
        }
        let text = try await HTTP.get(exporter.baseURL + "/metrics").body
        let normalised = Self.normalised(text)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try normalised.write(to: RepositoryFiles.url(Self.golden), atomically: true, encoding: .utf8)
        }
        let expected = try RepositoryFiles.text(Self.golden)
        let (got, want) = (normalised.split(separator: "\n"), expected.split(separator: "\n"))
        #expect(got.filter { !want.contains($0) }.isEmpty, "served but not in \(Self.golden): \(got.filter { !want.contains($0) })")
        #expect(want.filter { !got.contains($0) }.isEmpty, "in \(Self.golden) but not served: \(want.filter { !got.contains($0) })")
        // What is never asked for: live data-app keys, anything but GET, expanded datamarts.
        let stats = try await simulator.stats()
        #expect(stats.requests(.dataApp) > 0 && stats.requests(.datamart) > 0)
        #expect(stats.requests(.apiTokens) == 0)
        #expect(stats.nonGetRequests == 0)
        #expect(stats.datamartRequestsExpanded == 0)
        // The counter is live: the simulator does hand out keys to whoever asks, and counts it.
        let keys = try await HTTP.get(simulator.baseURL + "/api/v2/data-app/api-tokens?dataAppName=Partner%20Portal",
                                      headers: ["Authorization": "Bearer \(simulator.token)"])
        #expect(keys.status == 200 && keys.body.contains(#""key":"#))
        #expect(try await simulator.stats().requests(.apiTokens) == 1)
        try await exporter.checkExpositionWithPromtool()
        try await exporter.checkOpenMetricsWithPrometheusClient()
        try await exporter.stopAndCheckSecrets()
    }
}
