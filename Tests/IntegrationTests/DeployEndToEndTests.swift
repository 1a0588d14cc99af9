import Foundation
import Testing

/// The shipped alert rules and dashboard, against a real Prometheus scraping the real exporter
/// polling the simulator. Only the `for:` durations are shortened, by an overlay of the shipped file.
@Suite(.enabled(if: PrometheusServer.shouldRun, "prometheus is not installed (scripts/install-deps installs it)"))
struct DeployEndToEndTests {
    @Test func alertsFireForRevokedTokenAndForExactlyTheDatasourceThatDisappeared() async throws {
        let names = (1...10).map { "datasource-\($0)" }
        let simulator = try await Simulator(names: names)
        let exporter = try await Exporter(simulator: simulator)
        let prometheus = try await PrometheusServer(scraping: exporter.hostPort, rules: [try ShippedRules.withShortFor()])

        // 1. All quiet once Prometheus has scraped a healthy exporter (startup's absent() may blink).
        try await eventually("Prometheus to see the exporter healthy", timeout: .seconds(60)) {
            try await prometheus.query(#"databrain_up{target="sim"}"#) == 1 ? true : nil
        }
        try await eventually("no alert pending or firing", timeout: .seconds(30)) {
            let active = try await prometheus.alerts(state: "firing") + prometheus.alerts(state: "pending")
            return active.isEmpty ? true : nil
        }

        // 2. The token is revoked: the auth alert fires for this target, reason credentials.
        try await simulator.rotateToken(to: "rotated-\(UUID().uuidString)")
        let auth = try await eventually("DatabrainAuthFailing to fire", timeout: .seconds(60)) {
            try await prometheus.alerts().first { $0["alertname"] == "DatabrainAuthFailing" }
        }
        #expect(auth["target"] == "sim")
        #expect(auth["reason"] == "credentials")
        #expect(auth["severity"] == "critical")

        // 3. Auth restored, one named datasource removed: its disappearance alert, and only its.
        try await simulator.rotateToken(to: simulator.token)
        try await eventually("DatabrainAuthFailing to resolve", timeout: .seconds(60)) {
            try await prometheus.alerts().contains { $0["alertname"] == "DatabrainAuthFailing" } ? nil : true
        }
        try await simulator.setDatasources(names.filter { $0 != "datasource-7" })
        let disappeared = try await eventually("DatabrainDatasourceDisappeared to fire", timeout: .seconds(60)) {
            let firing = try await prometheus.alerts().filter { $0["alertname"] == "DatabrainDatasourceDisappeared" }
            return firing.isEmpty ? nil : firing
        }
        #expect(disappeared.map { $0["datasource"] } == ["datasource-7"])
        #expect(disappeared.first?["target"] == "sim")

        // 4. The datasource is back: every alert resolves.
        try await simulator.setDatasources(names)
        try await eventually("every alert to resolve", timeout: .seconds(60)) {
            try await prometheus.alerts().isEmpty ? true : nil
        }

        // 5. Hasura goes down: Databrain is live but not ready, and the check is named.
        try await simulator.healthCheck("hasura", "DOWN")
        let health = try await eventually("DatabrainNotReady and DatabrainDependencyDown to fire", timeout: .seconds(60)) {
            let firing = try await prometheus.alerts()
            let names = Set(firing.compactMap { $0["alertname"] })
            return names.isSuperset(of: ["DatabrainNotReady", "DatabrainDependencyDown"]) ? firing : nil
        }
        #expect(health.first { $0["alertname"] == "DatabrainDependencyDown" }?["check"] == "hasura")
        #expect(!health.contains { $0["alertname"] == "DatabrainBackendDown" }, "the backend is live")

        // 6. Hasura is back: they resolve.
        try await simulator.healthCheck("hasura", "UP")
        try await eventually("the health alerts to resolve", timeout: .seconds(60)) {
            try await prometheus.alerts().isEmpty ? true : nil
        }

        try await prometheus.process.stop()
        try await exporter.stopAndCheckSecrets()
    }

    @Test func everyDashboardQueryAndRuleRunsAgainstPrometheusAndCorePanelsHaveData() async throws {
        let simulator = try await Simulator(datasources: 12)
        let exporter = try await Exporter(simulator: simulator, extra: ["--databrain.paginate"])
        let prometheus = try await PrometheusServer(scraping: exporter.hostPort, rules: [try ShippedRules.withShortFor()])
        // Enough history for rate() windows, and one change so the added/removed panels have data.
        try await eventually("a few scrapes", timeout: .seconds(60)) {
            try await prometheus.query(#"count_over_time(databrain_up{target="sim"}[1m])"#).map { $0 >= 3 ? true : nil } ?? nil
        }
        try await simulator.setDatasourceCount(13)
        try await eventually("Prometheus to see the change", timeout: .seconds(60)) {
            try await prometheus.query(#"databrain_datasources{target="sim"}"#) == 13 ? true : nil
        }
        try await eventually("a few more scrapes", timeout: .seconds(60)) {
            try await prometheus.query(#"count_over_time(databrain_datasources{target="sim"}[1m]) >= 6"#) != nil ? true : nil
        }

        let dashboard = try Dashboard(json: RepositoryFiles.text("dashboards/databrain.json"))
        var empty: [String] = []
        for query in dashboard.queries {
            // What Grafana substitutes: the job and one target selected, every instance ("All"),
            // a rate window of 4 scrapes at least.
            let promql = query.expr.replacingOccurrences(of: "$target", with: "sim")
                .replacingOccurrences(of: "$job", with: "databrain").replacingOccurrences(of: "$instance", with: ".*")
                .replacingOccurrences(of: "$__rate_interval", with: "10s")
            let result = query.instant ? try await prometheus.instant(promql) : try await prometheus.range(promql)
            if result.isEmpty { empty.append(query.panel) }
        }
        let corePanels: Set = ["API polling", "Last successful poll", "Datasources", "Firing alerts", "Datasource count",
                               "Datasources added and removed", "Current datasources", "API responses by code",
                               "API latency quantiles", "API latency heatmap", "Poll duration", "Polls and failed polls",
                               "Exporter CPU", "Exporter memory", "Metrics endpoint responses", "Last configuration reload",
                               "Live and ready", "Dependency checks", "Collectors", "Inventory counts",
                               "Inventory added and removed", "Embeds per data app", "Datamarts and their datasources"]
        #expect(corePanels.isSubset(of: Set(dashboard.queries.map(\.panel))), "a core panel was renamed or removed")
        #expect(Set(empty).isDisjoint(with: corePanels), "core panels without data: \(empty)")
        #expect(try await prometheus.labelValues("target", match: "databrain_up") == ["sim"], "the target variable's query")
        #expect(try await prometheus.instant(#"databrain_datasource_info{target="sim"}"#).count == 13, "the datasource table")

        // Every rule was loaded and evaluates without error.
        let rules = try await eventually("every rule to be evaluated", timeout: .seconds(30)) {
            let health = try await prometheus.ruleHealth()
            return health.count >= 14 && health.allSatisfy({ $0.health != "unknown" }) ? health : nil
        }
        for rule in rules { #expect(rule.health == "ok", "\(rule.name): \(rule.error)") }

        try await prometheus.process.stop()
        try await exporter.stopAndCheckSecrets()
    }
}

/// The queries of a Grafana dashboard JSON: each panel target's `expr`, and the annotations'.
struct Dashboard {
    struct Query {
        var panel: String
        var expr: String
        var instant: Bool
    }
    var queries: [Query] = []

    init(json: String) throws {
        guard let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw HarnessError("the dashboard is not a JSON object")
        }
        for panel in (root["panels"] as? [[String: Any]]) ?? [] {
            let title = panel["title"] as? String ?? "?"
            for target in (panel["targets"] as? [[String: Any]]) ?? [] {
                guard let expr = target["expr"] as? String else { throw HarnessError("panel \(title) has a target without expr") }
                queries.append(Query(panel: title, expr: expr, instant: target["instant"] as? Bool ?? false))
            }
        }
        let annotations = ((root["annotations"] as? [String: Any])?["list"] as? [[String: Any]]) ?? []
        for annotation in annotations {
            if let expr = annotation["expr"] as? String {
                queries.append(Query(panel: "annotation: \(annotation["name"] as? String ?? "?")", expr: expr, instant: false))
            }
        }
    }
}
