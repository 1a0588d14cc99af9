import Foundation
import Testing

/// The exporter as Prometheus sees it: a real Prometheus scrapes it, and promtool lints the exposition.
@Suite(.enabled(if: PrometheusServer.shouldRun, "prometheus is not installed (scripts/install-deps installs it)"))
struct PrometheusEndToEndTests {
    @Test func prometheusScrapesTheDatasourceCountAndFollowsChanges() async throws {
        let simulator = try await Simulator(datasources: 3)
        let exporter = try await Exporter(simulator: simulator)
        let prometheus = try await PrometheusServer(scraping: exporter.hostPort)
        _ = try await eventually("Prometheus to see 3 datasources", timeout: .seconds(60)) {
            try await prometheus.query(#"databrain_datasources{target="sim"}"#) == 3 ? true : nil
        }
        // What Prometheus stored, not only what it was sent: the job is up and every
        // datasource series arrived with its target label.
        #expect(try await prometheus.query(#"up{job="databrain"}"#) == 1)
        #expect(try await prometheus.query(#"count(databrain_datasource_info{target="sim"})"#) == 3)
        try await simulator.setDatasourceCount(12)
        try await eventually("Prometheus to see 12 datasources", timeout: .seconds(60)) {
            try await prometheus.query(#"databrain_datasources{target="sim"}"#) == 12 ? true : nil
        }
        #expect(try await prometheus.query(#"count(databrain_datasource_info{target="sim"})"#) == 12)
        #expect(try await prometheus.query(#"databrain_api_requests_total{target="sim",endpoint="datasource",code="401"}"#) == 0)
        try await prometheus.process.stop()
        try await exporter.stopAndCheckSecrets()
    }

    @Test func promtoolAcceptsTheExpositionIncludingHostileNames() async throws {
        let promtool = try #require(BuildProducts.systemTool("promtool"))
        let simulator = try await Simulator()
        try await simulator.setDatasources(["plain", "quote\"d", "back\\slash", "new\nline", "emoji 🧠", "", String(repeating: "x", count: 10_000)])
        let exporter = try await Exporter(simulator: simulator)
        let metrics = try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        #expect(metrics.value("databrain_datasources", ["target": "sim"]) == 7)
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("exposition-\(UUID().uuidString)").path
        try Data(metrics.text.utf8).write(to: URL(fileURLWithPath: input))
        let check = try ManagedProcess(name: "promtool", executable: promtool, arguments: ["check", "metrics"], stdin: input)
        let status = try await check.waitForExit()
        #expect(status == 0, "promtool: \(check.stdout)\(check.stderr)")
        try await exporter.stopAndCheckSecrets()
    }
}
