import Foundation
import Testing

/// What reaches a person, not only what fires. The exporter (as uid 65532) polls one target per
/// fault; a real Prometheus evaluates the shipped rules (every `for:` divided by 60, so alerts
/// keep their production order); a real Alertmanager runs the shipped `alertmanager.yml` with only
/// its receivers swapped for a webhook this test serves and its group timers shortened. Each
/// fault is judged by what the webhook receives and what Alertmanager marks suppressed: these are
/// the rows of docs/alerts.md's "What reaches a person" table.
@Suite(.enabled(if: PrometheusServer.shouldRun && AlertmanagerServer.shouldRun,
                "prometheus or prometheus-alertmanager is not installed (scripts/install-deps installs them)"))
struct AlertDeliveryTests {
    /// Per target (one per fault), exactly the alerts a person receives by the end of the test.
    static let expectedPages: [String: Set<String>] = [
        "revoked": ["DatabrainAuthFailing"],
        "removed": ["DatabrainDatasourceDisappeared"],
        "backend-down": ["DatabrainBackendDown"],
        "api-hangs": ["DatabrainAPIUnreachable"],
        "unready": ["DatabrainNotReady", "DatabrainDependencyDown"],
        "refused": ["DatabrainBackendDown"],
        "refused-no-health": ["DatabrainAPIUnreachable"],
        "workspaces-denied": ["DatabrainCollectorFailing"],
        "embed-removed": ["DatabrainEmbedDisappeared"],
        "data-app-removed": ["DatabrainDataAppDisappeared"],
        "datamart-removed": ["DatabrainDatamartDisappeared"],
        "datamart-source-removed": ["DatabrainDatasourceDisappeared", "DatabrainDatamartDatasourceMissing"],
        // Revoked, restored, then the API hangs: the auth page for the revocation, then the outage.
        "auth-then-hang": ["DatabrainAuthFailing", "DatabrainAPIUnreachable"],
        "hasura-inconsistent": ["DatabrainHasuraInconsistent"],
    ]

    @Test func eachFaultPagesItsCauseAndSilencesItsSymptoms() async throws {
        let names = (1...10).map { "datasource-\($0)" }
        var simulators: [String: Simulator] = [:]
        for target in ["revoked", "removed", "backend-down", "api-hangs", "unready", "workspaces-denied",
                       "embed-removed", "data-app-removed", "datamart-removed", "datamart-source-removed", "auth-then-hang",
                       "hasura-inconsistent"] {
            simulators[target] = try await Simulator(names: names)
        }
        let refused = try ClosedPort()
        let webhook = try await WebhookReceiver()
        let alertmanager = try await AlertmanagerServer(config: AlertmanagerServer.shippedConfig(deliveringTo: webhook.url))
        let exporter = try await Self.exporter(polling: simulators, refusedURL: refused.url)
        let prometheus = try await PrometheusServer(
            scraping: exporter.hostPort, rules: [try ShippedRules.withForInSecondsForMinutes()], alertmanager: alertmanager.hostPort)
        let pager = Pager(webhook: webhook, alertmanager: alertmanager)

        // Every simulated target healthy and its datasources seen by Prometheus, then every fault at once.
        try await eventually("Prometheus to see every simulated target up", timeout: .seconds(60)) {
            let up = Set(try await prometheus.instant("databrain_up == 1").compactMap { $0.labels["target"] })
            return up.isSuperset(of: simulators.keys) ? true : nil
        }
        try await simulators["revoked"]!.rotateToken(to: "revoked-\(UUID().uuidString)")
        try await simulators["auth-then-hang"]!.rotateToken(to: "revoked-\(UUID().uuidString)")
        try await simulators["removed"]!.setDatasources(names.filter { $0 != "datasource-7" })
        try await simulators["backend-down"]!.healthMode("hang")
        try await simulators["api-hangs"]!.fault("kind=hang")
        try await simulators["unready"]!.healthCheck("hasura", "DOWN")
        try await simulators["workspaces-denied"]!.fault("kind=status&status=401&endpoint=workspace")
        try await simulators["embed-removed"]!.removeEmbed(dataApp: "Partner Portal", embedId: "churn-tile-07")
        try await simulators["data-app-removed"]!.setDataApps("[]")
        try await simulators["datamart-removed"]!.setDatamarts("[]")
        try await simulators["datamart-source-removed"]!.removeDatasource("datasource-1")  // orders-mart is built on it
        try await simulators["hasura-inconsistent"]!.hasura("warn")  // Hasura's metadata, while Databrain says ready

        // Token revoked: the auth page arrives, and no "unreachable" page sends anyone to the network.
        let auth = try await pager.delivered("DatabrainAuthFailing", target: "revoked")
        #expect(auth.map { $0.labels["reason"] } == ["credentials"])
        // A datasource removed: the page names it, and only it.
        let gone = try await pager.delivered("DatabrainDatasourceDisappeared", target: "removed")
        #expect(Set(gone.compactMap { $0.labels["datasource"] }) == ["datasource-7"])
        // The API hangs while Databrain's health answers: unreachable.
        try await pager.delivered("DatabrainAPIUnreachable", target: "api-hangs")
        // Nothing listens at the URL: with health probes, the backend is down and that is the page;
        // without them, all the exporter can say is unreachable.
        try await pager.delivered("DatabrainBackendDown", target: "refused")
        try await pager.suppressed("DatabrainAPIUnreachable", target: "refused")
        try await pager.delivered("DatabrainAPIUnreachable", target: "refused-no-health")
        // Live but not ready: the readiness page, and the dependency named.
        try await pager.delivered("DatabrainNotReady", target: "unready")
        let dependency = try await pager.delivered("DatabrainDependencyDown", target: "unready")
        #expect(dependency.map { $0.labels["check"] } == ["hasura"])
        // The token may not read the workspace list while the datasource list works: a warning
        // naming the collector, and no auth page (databrain_up stays 1).
        let collector = try await pager.delivered("DatabrainCollectorFailing", target: "workspaces-denied")
        #expect(collector.map { $0.labels["collector"] } == ["workspaces"])
        // The inventory: a removed embed is named; a removed data app pages once, its embeds held back.
        let embed = try await pager.delivered("DatabrainEmbedDisappeared", target: "embed-removed")
        #expect(embed.map { $0.labels["embed_id"] } == ["churn-tile-07"])
        try await pager.delivered("DatabrainDataAppDisappeared", target: "data-app-removed")
        try await pager.suppressed("DatabrainEmbedDisappeared", target: "data-app-removed")
        try await pager.delivered("DatabrainDatamartDisappeared", target: "datamart-removed")
        // A datasource and the datamart built on it: one incident, both facts in it.
        let missing = try await pager.delivered("DatabrainDatamartDatasourceMissing", target: "datamart-source-removed")
        #expect(missing.map { $0.labels["datamart"] } == ["orders-mart"])
        try await pager.delivered("DatabrainDatasourceDisappeared", target: "datamart-source-removed")
        let hasura = try await pager.delivered("DatabrainHasuraInconsistent", target: "hasura-inconsistent")
        #expect(hasura.map { $0.labels["state"] } == ["warn"])
        let incident = try webhook.notifications().filter { $0.alerts.contains { $0.labels["target"] == "datamart-source-removed" } }
        #expect(Set(incident.map(\.groupKey)).count == 1, "one group key: \(incident.map(\.groupKey))")
        #expect(incident.contains { notification in
            Set(notification.alerts.compactMap { $0.labels["alertname"] }) == ["DatabrainDatasourceDisappeared", "DatabrainDatamartDatasourceMissing"]
        }, "a notification names the datasource and the datamart together")

        // A sequence on one target: revoked (the auth page), restored (resolved), then the API hangs.
        // The page must be the outage, at once, and no second auth page: the alerts read the last
        // poll's reason, not a window of auth errors that would still say "token" for ten minutes.
        let sequence = simulators["auth-then-hang"]!
        try await pager.delivered("DatabrainAuthFailing", target: "auth-then-hang")
        try await sequence.rotateToken(to: sequence.token)
        try await eventually("the resolved auth notification of auth-then-hang", timeout: .seconds(60)) {
            try webhook.delivered("resolved", ["alertname": "DatabrainAuthFailing", "target": "auth-then-hang"]).isEmpty ? nil : true
        }
        let authPagesBeforeHang = try webhook.delivered("firing", ["alertname": "DatabrainAuthFailing", "target": "auth-then-hang"]).count
        try await sequence.fault("kind=hang")
        try await pager.delivered("DatabrainAPIUnreachable", target: "auth-then-hang")
        #expect(try webhook.delivered("firing", ["alertname": "DatabrainAuthFailing", "target": "auth-then-hang"]).count == authPagesBeforeHang,
                "the outage after a fixed token paged as a token problem")
        let sequenceFiring = try await prometheus.alerts().filter { $0["target"] == "auth-then-hang" }.compactMap { $0["alertname"] }
        #expect(!sequenceFiring.contains("DatabrainAuthFailing"), "\(sequenceFiring)")

        // Databrain down, then a datasource vanishes: the backend page, the disappearance suppressed.
        try await pager.delivered("DatabrainBackendDown", target: "backend-down")
        try await simulators["backend-down"]!.setDatasources(names.filter { $0 != "datasource-3" })
        try await pager.suppressed("DatabrainDatasourceDisappeared", target: "backend-down")

        // Long after it was delivered, the auth alert is still firing and not muted by anything.
        let authNow = try await alertmanager.alerts(["alertname": "DatabrainAuthFailing", "target": "revoked"])
        #expect(!authNow.isEmpty && authNow.allSatisfy { $0.state == "active" }, "\(authNow)")
        let firing = try await prometheus.alerts().filter { $0["target"] == "revoked" }.compactMap { $0["alertname"] }
        #expect(firing == ["DatabrainAuthFailing"], "an answered 401 is not 'unreachable'")

        // The token is restored: the person is told it is over.
        try await simulators["revoked"]!.rotateToken(to: simulators["revoked"]!.token)
        try await eventually("the resolved auth notification", timeout: .seconds(60)) {
            try webhook.delivered("resolved", ["alertname": "DatabrainAuthFailing", "target": "revoked"]).isEmpty ? nil : true
        }

        // Exactly the pages of the table, nothing more: every symptom above stayed silent.
        var received: [String: Set<String>] = [:]
        for alert in try webhook.notifications().flatMap(\.alerts) where alert.status == "firing" {
            guard let target = alert.labels["target"], let name = alert.labels["alertname"] else { continue }
            received[target, default: []].insert(name)
        }
        #expect(received == Self.expectedPages)

        // What each page says: a fixed sentence, the details, and a runbook the repository has.
        for alert in try webhook.notifications().flatMap(\.alerts) where alert.status == "firing" {
            let name = alert.labels["alertname"] ?? "?"
            let summary = alert.annotations["summary"] ?? "", description = alert.annotations["description"] ?? ""
            #expect(summary.first?.isUppercase == true && summary.hasSuffix(".") && !summary.contains("{{"), "\(name): summary \(summary)")
            #expect(!description.isEmpty && !description.contains("{{") && !description.contains("<no value>"), "\(name): description \(description)")
            let runbook = alert.annotations["runbook_url"] ?? ""
            #expect(runbook.hasSuffix("/docs/runbooks/\(name).md")
                    && FileManager.default.fileExists(atPath: RepositoryFiles.url("docs/runbooks/\(name).md").path), "\(name): runbook \(runbook)")
        }

        try await prometheus.process.stop()
        try await alertmanager.process.stop()
        try await exporter.stopAndCheckSecrets()
        try await webhook.stop()
    }

    /// One exporter polling each simulator as the target of its name, plus `refused` and
    /// `refused-no-health` (health probes off) at a URL that refuses every connection.
    static func exporter(polling simulators: [String: Simulator], refusedURL: String) async throws -> Exporter {
        let unused = "unused-token-\(UUID().uuidString)"
        var file = "targets:\n"
        for (target, simulator) in simulators.sorted(by: { $0.key < $1.key }) {
            file += "  - name: \(target)\n    url: \(simulator.baseURL)\n    token_file: \(try TokenFile(simulator.token).path)\n"
            if target == "hasura-inconsistent" {  // the simulator stands in for Hasura too
                file += "    collectors: [datasources, workspaces, data_apps, datamarts, hasura]\n    hasura_url: \(simulator.baseURL)\n"
            }
        }
        let unusedFile = try TokenFile(unused).path
        file += "  - name: refused\n    url: \(refusedURL)\n    token_file: \(unusedFile)\n"
        file += "  - name: refused-no-health\n    url: \(refusedURL)\n    token_file: \(unusedFile)\n    health: false\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("delivery-\(UUID().uuidString).yml").path
        try Data(file.utf8).write(to: URL(fileURLWithPath: path))
        return try await Exporter(
            arguments: ["--config.file", path, "--poll.interval", "300ms", "--poll.timeout", "250ms", "--log.level", "info"] + Exporter.unthrottled,
            secrets: simulators.values.map(\.token) + [unused])
    }
}

/// The person's side of the stack: what the webhook was sent, and what Alertmanager holds back.
private struct Pager {
    let webhook: WebhookReceiver
    let alertmanager: AlertmanagerServer

    /// Waits until a firing notification of `alertname` for `target` has been delivered, and
    /// returns every such alert delivered so far.
    @discardableResult
    func delivered(_ alertname: String, target: String) async throws -> [WebhookReceiver.Alert] {
        try await eventually("\(alertname) for target \(target) to be delivered", timeout: .seconds(90)) {
            let alerts = try webhook.delivered("firing", ["alertname": alertname, "target": target])
            return alerts.isEmpty ? nil : alerts
        }
    }

    /// Waits until Alertmanager holds `alertname` for `target` (so Prometheus fires it) and marks it
    /// suppressed by an inhibit rule.
    func suppressed(_ alertname: String, target: String) async throws {
        try await eventually("\(alertname) for target \(target) to be suppressed by inhibition", timeout: .seconds(90)) {
            let held = try await alertmanager.alerts(["alertname": alertname, "target": target])
            return !held.isEmpty && held.allSatisfy({ $0.state == "suppressed" && !$0.inhibitedBy.isEmpty }) ? true : nil
        }
    }
}
