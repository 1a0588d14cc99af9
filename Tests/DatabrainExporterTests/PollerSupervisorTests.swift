import Logging
import Locking
import Testing
@testable import DatabrainExporter

/// Reloads as the supervisor applies them, with pollers on a scripted API: which pollers are
/// made, and what happens to each target's series.
@Suite struct PollerSupervisorTests {
    private let metrics = ExporterMetrics()
    private let api = ScriptedAPI(datasources: ["a", "b"])
    /// The targets the factory made a poller for, in order.
    private final class Made: Sendable { let names = Locked<[String]>([]) }
    private let made = Made()

    private func supervisor(clock: any PollClock = SystemPollClock()) -> PollerSupervisor {
        let board = TargetStatusBoard()
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        return PollerSupervisor(metrics: metrics, board: board, logger: logger, factory: PollerFactory { [api, made] config, slot in
            made.names.withLock { $0.append(config.name) }
            return TargetPoller(config: config, slot: slot, board: board, logger: logger, http: api, clock: clock)
        })
    }

    /// A target that polls once, then waits an hour: every later poll is a restart's first.
    private func target(_ name: String, timeout: Duration = .seconds(10)) -> TargetConfig {
        TargetConfig(name: name, url: ScriptedAPI.baseURL, token: .value("t"), interval: .seconds(3600), timeout: timeout, health: false)
    }

    private func polls(_ name: String) -> Double? { Exposition(metrics)[#"databrain_polls_total{target="\#(name)"}"#] }

    @Test func aRestartedTargetKeepsItsCountersAndARemovedOneLosesEverySeries() async throws {
        let supervisor = supervisor()
        defer { supervisor.stopAll() }
        supervisor.apply(ExporterConfig(targets: [target("kept"), target("changed")]))
        try await waitUntil("both first polls") { polls("kept") == 1 && polls("changed") == 1 }

        supervisor.apply(ExporterConfig(targets: [target("kept"), target("changed", timeout: .seconds(5))]))
        try await waitUntil("the restarted poller's first poll") { polls("changed") == 2 }
        #expect(polls("kept") == 1, "an unchanged target is not restarted")
        #expect(made.names.withLock { $0.sorted() } == ["changed", "changed", "kept"])

        supervisor.apply(ExporterConfig(targets: [target("kept")]))
        let scrape = Exposition(metrics)
        #expect(scrape.values.keys.filter { $0.contains(#"target="changed""#) }.isEmpty)
        #expect(scrape[#"databrain_datasources{target="kept"}"#] == 2)
    }

    /// A reload that restarts a target in a backoff keeps the backoff: the new poller waits for it
    /// to end instead of polling a failing API at once. On virtual time.
    @Test func aRestartDuringABackoffKeepsWaiting() async throws {
        api.answer { _ in .success(ScriptedAPI.json(503, "")) }
        let clock = VirtualClock()
        let supervisor = supervisor(clock: clock)
        defer { supervisor.stopAll() }
        let failing = TargetConfig(name: "failing", url: ScriptedAPI.baseURL, token: .value("t"), interval: .seconds(60), health: false,
                                   collectors: [.datasources])
        supervisor.apply(ExporterConfig(targets: [failing]))
        try await waitUntil("the first poll, and its backoff") { api.requests.count == 1 && clock.sleepers == 1 }
        var changed = failing
        changed.timeout = .seconds(5)
        supervisor.apply(ExporterConfig(targets: [changed]))
        try await waitUntil("the restarted poller asleep") { made.names.withLock { $0.count } == 2 && clock.sleepers == 1 }
        #expect(api.requests.count == 1, "the restart did not poll during the backoff")
        clock.advance(by: .seconds(90))
        #expect(api.requests.count == 1, "a backoff after a 503 is two intervals (±5 %), not one and a half")
        clock.advance(by: .seconds(40))
        try await waitUntil("the poll after the backoff") { api.requests.count == 2 }
    }
}
