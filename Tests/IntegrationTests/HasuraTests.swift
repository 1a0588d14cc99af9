import Foundation
import Testing

/// The `hasura` collector in the real binary (as uid 65532), switched on by its flags, against
/// the simulator standing in for Hasura: each documented answer of `/healthz` becomes its state,
/// a hang keeps the last state with the collector down, and the token never goes to Hasura.
@Suite struct HasuraTests {
    @Test func hasurasAnswersBecomeItsStateAndAHangKeepsTheLast() async throws {
        let simulator = try await Simulator(datasources: 2)
        let exporter = try await Exporter(simulator: simulator, extra: ["--collector.hasura", "--collector.hasura.url", simulator.baseURL])
        let state = { (scrape: Exposition, state: String) in scrape.value("databrain_hasura_health", ["target": "sim", "state": state]) }
        try await exporter.waitFor("Hasura OK") { state($0, "ok") == 1 && state($0, "warn") == 0 }
        try await simulator.hasura("warn")
        try await exporter.waitFor("Hasura WARN") { state($0, "warn") == 1 && state($0, "ok") == 0 }
        try await simulator.hasura("error")
        let error = try await exporter.waitFor("Hasura ERROR") { state($0, "error") == 1 }
        #expect(error.value("databrain_collector_up", ["target": "sim", "collector": "hasura"]) == 1, "Hasura answered")
        #expect(error.value("databrain_up", ["target": "sim"]) == 1)
        try await simulator.hasura("hang")
        let hung = try await exporter.waitFor("the collector down") { $0.value("databrain_collector_up", ["target": "sim", "collector": "hasura"]) == 0 }
        #expect(state(hung, "error") == 1, "the last state stays")
        #expect(hung.value("databrain_up", ["target": "sim"]) == 1)
        #expect(try await simulator.stats().healthWithAuthorization == 0)
        try await exporter.stopAndCheckSecrets()
    }

    /// A setting for a collector that is off would do nothing: it is refused, with the flag to add.
    @Test func aSettingOfACollectorThatIsOffIsRefused() async throws {
        let token = try TokenFile("t")
        let process = try ManagedProcess(name: "check", executable: BuildProducts.exporter, arguments: [
            "--databrain.url", "https://databrain.example", "--databrain.token-file", token.path, "--config.check",
            "--collector.hasura.url", "http://hasura:8080",
        ], asServiceUser: true)
        #expect(try await process.waitForExit() == 1)
        #expect(process.stderr.contains("--collector.hasura.url: the hasura collector is off: add --collector.hasura"), "\(process.stderr)")
    }
}
