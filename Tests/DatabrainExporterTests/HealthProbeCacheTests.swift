import Synchronization
import Testing
@testable import DatabrainExporter

/// Health probes belong to the Databrain instance: targets on one instance share one round per
/// interval, each keeps its own series, and a poller cancelled while a shared round hangs returns
/// at once.
@Suite struct HealthProbeCacheTests {
    private let metrics = ExporterMetrics()
    private let board = TargetStatusBoard()
    private let clock = VirtualClock()

    private func pollers(_ count: Int, api: ScriptedAPI, cache: HealthProbeCache) -> [TargetPoller] {
        let configs = (1...count).map {
            TargetConfig(name: "org-\($0)", url: ScriptedAPI.baseURL, token: .value("t"), interval: .seconds(60), health: true, collectors: [.datasources])
        }
        board.setTargets(configs)
        return configs.map {
            TargetPoller(config: $0, slot: TargetSlot(metrics: metrics.makeTarget($0.name)), board: board, logger: PollHarness.logger, http: api,
                         clock: clock, healthProbes: cache)
        }
    }

    private func probes(_ api: ScriptedAPI) -> Int { api.requests.filter { ScriptedAPI.path($0.url) == "/health/live" }.count }

    @Test func targetsOfOneInstanceShareARoundPerInterval() async {
        let api = ScriptedAPI(datasources: ["a"])
        let pollers = pollers(5, api: api, cache: HealthProbeCache(clock: clock))
        for poller in pollers { await poller.pollOnce() }
        #expect(probes(api) == 1, "five targets, one instance, one round")
        let scrape = Exposition(metrics)
        for index in 1...5 {
            #expect(scrape[#"databrain_health_live{target="org-\#(index)"}"#] == 1, "each target keeps its own series")
            #expect(scrape[#"databrain_health_ready{target="org-\#(index)"}"#] == 1)
        }
        #expect(board.snapshot().allSatisfy { $0.health?.live == true })
        // Younger than nine tenths of the interval: still shared; older: probed again, once.
        clock.advance(by: .seconds(53))
        await pollers[0].pollOnce()
        #expect(probes(api) == 1)
        clock.advance(by: .seconds(2))
        for poller in pollers { await poller.pollOnce() }
        #expect(probes(api) == 2)
    }

    @Test func anotherInstanceOrTLSSettingIsItsOwnRound() async {
        let api = ScriptedAPI(datasources: ["a"])
        let cache = HealthProbeCache(clock: clock)
        let configs = [
            TargetConfig(name: "a", url: ScriptedAPI.baseURL, token: .value("t"), health: true, collectors: [.datasources]),
            TargetConfig(name: "b", url: "https://other.example", token: .value("t"), health: true, collectors: [.datasources]),
            TargetConfig(name: "c", url: ScriptedAPI.baseURL, token: .value("t"), caFile: "/etc/ssl/internal.pem", health: true, collectors: [.datasources]),
        ]
        board.setTargets(configs)
        for config in configs {
            await TargetPoller(config: config, slot: TargetSlot(metrics: metrics.makeTarget(config.name)), board: board, logger: PollHarness.logger,
                               http: api, clock: clock, healthProbes: cache).pollOnce()
        }
        #expect(probes(api) == 3)
    }

    /// A reload cancels a poller while the shared round hangs: the poller returns at once, and the
    /// round goes on for whoever else waits for it.
    @Test func aCancelledPollerDoesNotWaitForAHangingRound() async throws {
        final class Gate: Sendable {
            let open = Atomic(false)
            let entered = Atomic(0)
        }
        let gate = Gate()
        let api = ScriptedAPI(onHanded: { request in
            guard ScriptedAPI.path(request.url) == "/health/live" else { return }
            gate.entered.add(1, ordering: .relaxed)
            while !gate.open.load(ordering: .relaxed) { try? await Task.sleep(for: .milliseconds(5)) }
        }, ScriptedAPI.listing(["a"]))
        let pollers = pollers(2, api: api, cache: HealthProbeCache(clock: clock))
        let first = Task { await pollers[0].pollOnce() }
        let second = Task { await pollers[1].pollOnce() }
        try await waitUntil("both polls waiting for the one round") {
            gate.entered.load(ordering: .relaxed) == 1 && api.requests.count == 2
        }
        first.cancel()
        #expect(await first.value == .cancelled, "returned while the round still hangs")
        gate.open.store(true, ordering: .relaxed)
        #expect(await second.value == nil)
        #expect(probes(api) == 1)
        #expect(gate.entered.load(ordering: .relaxed) == 1, "one round for both")
    }
}
