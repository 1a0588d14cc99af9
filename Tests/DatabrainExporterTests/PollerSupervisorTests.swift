import Logging
import Synchronization
import Testing
@testable import DatabrainExporter

/// Reloads as the supervisor applies them, with pollers on a scripted API: which pollers are
/// made, and what happens to each target's series.
@Suite struct PollerSupervisorTests {
    private let metrics = ExporterMetrics()
    private let api = ScriptedAPI(datasources: ["a", "b"])
    /// The targets the factory made a poller for, in order.
    private final class Made: Sendable { let names = Mutex<[String]>([]) }
    private let made = Made()

    private func supervisor() -> PollerSupervisor {
        let board = TargetStatusBoard()
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        return PollerSupervisor(metrics: metrics, board: board, logger: logger, factory: PollerFactory { [api, made] config, targetMetrics in
            made.names.withLock { $0.append(config.name) }
            return TargetPoller(config: config, metrics: targetMetrics, board: board, logger: logger, http: api)
        })
    }

    /// A target that polls once, then waits an hour: every later poll is a restart's first.
    private func target(_ name: String, timeout: Duration = .seconds(10)) -> TargetConfig {
        TargetConfig(name: name, url: ScriptedAPI.baseURL, token: .value("t"), interval: .seconds(3600), timeout: timeout, health: false)
    }

    private func polls(_ name: String) -> Double? { Exposition(metrics)[#"databrain_polls_total{target="\#(name)"}"#] }

    /// Polls the exposition until `condition` holds; fails after 10 s.
    private func waitFor(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { Issue.record("timed out waiting for \(what)"); return }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test func aRestartedTargetKeepsItsCountersAndARemovedOneLosesEverySeries() async throws {
        let supervisor = supervisor()
        defer { supervisor.stopAll() }
        supervisor.apply(ExporterConfig(targets: [target("kept"), target("changed")]))
        try await waitFor("both first polls") { polls("kept") == 1 && polls("changed") == 1 }

        supervisor.apply(ExporterConfig(targets: [target("kept"), target("changed", timeout: .seconds(5))]))
        try await waitFor("the restarted poller's first poll") { polls("changed") == 2 }
        #expect(polls("kept") == 1, "an unchanged target is not restarted")
        #expect(made.names.withLock { $0.sorted() } == ["changed", "changed", "kept"])

        supervisor.apply(ExporterConfig(targets: [target("kept")]))
        let scrape = Exposition(metrics)
        #expect(scrape.values.keys.filter { $0.contains(#"target="changed""#) }.isEmpty)
        #expect(scrape[#"databrain_datasources{target="kept"}"#] == 2)
    }
}
