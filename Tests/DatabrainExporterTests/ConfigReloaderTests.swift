import Dispatch
import Logging
import NIOCore
import Locking
import Testing
@testable import DatabrainExporter

/// Reload has one owner: requests from SIGHUP and `POST /-/reload` queue at ``ConfigReloader``,
/// run one at a time in arrival order, and never hold up an event loop (so scrapes are answered
/// while a slow reload reads its files).
@Suite struct ConfigReloaderTests {
    /// A reloader whose first load blocks until `release()`: long enough to queue requests behind it.
    final class GatedReloads: Sendable {
        let reloader: ConfigReloader
        let metrics = ExporterMetrics()
        private let entered = DispatchSemaphore(value: 0)
        private let gate = DispatchSemaphore(value: 0)
        /// How many loads ran, how many ran at once at most, and how many run now.
        let counts = LoadCounts()

        init(failing: Bool = false) {
            let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
            let metrics = self.metrics
            let board = TargetStatusBoard()
            let api = ScriptedAPI(datasources: ["a"])
            let supervisor = PollerSupervisor(metrics: metrics, board: board, logger: logger, factory: PollerFactory { config, slot in
                TargetPoller(config: config, slot: slot, board: board, logger: logger, http: api)
            })
            let (entered, gate, counts) = (self.entered, self.gate, self.counts)
            reloader = ConfigReloader(load: {
                let first = counts.withLock { counts in
                    counts.loads += 1
                    counts.inFlight += 1
                    counts.maxInFlight = max(counts.maxInFlight, counts.inFlight)
                    return counts.loads == 1
                }
                if first {
                    entered.signal()
                    gate.wait()
                }
                counts.withLock { $0.inFlight -= 1 }
                if failing { throw ConfigError("config.yml:3 targets[0].url: must start with http:// or https://") }
                return ExporterConfig(targets: [])
            }, supervisor: supervisor, metrics: metrics, logger: logger)
        }

        /// Waits (off the cooperative pool) until the first load is inside `load`.
        func firstLoadEntered() async {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async { [entered] in
                    entered.wait()
                    continuation.resume()
                }
            }
        }

        func release() { gate.signal() }
    }

    final class LoadCounts: Sendable {
        private let state = Locked((loads: 0, maxInFlight: 0, inFlight: 0))
        func withLock<R>(_ body: (inout (loads: Int, maxInFlight: Int, inFlight: Int)) -> R) -> R { state.withLock { body(&$0) } }
    }

    /// Collects replies in the order the reloader sent them.
    final class Replies: Sendable {
        let received = Locked<[(Int, Bool)]>([])
        func reply(_ index: Int) -> ConfigReloader.Reply {
            { result in self.received.withLock { $0.append((index, (try? result.get()) != nil)) } }
        }
        func waitFor(_ count: Int) async throws -> [(Int, Bool)] {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                let now = received.withLock { $0 }
                if now.count >= count { return now }
                try await Task.sleep(for: .milliseconds(2))
            }
            Issue.record("only \(received.withLock { $0.count }) of \(count) replies arrived")
            return received.withLock { $0 }
        }
    }

    @Test func queuedReloadsRunOneAtATimeInArrivalOrderAndEachIsAnswered() async throws {
        let gated = GatedReloads()
        let replies = Replies()
        let running = Task { try await gated.reloader.run() }
        gated.reloader.requestReload(reply: replies.reply(0))
        await gated.firstLoadEntered()
        // 20 more arrive from several tasks while the first is still reading its files.
        await withTaskGroup(of: Void.self) { group in
            for index in 1...20 { group.addTask { gated.reloader.requestReload(reply: replies.reply(index)) } }
        }
        gated.release()
        let received = try await replies.waitFor(21)
        #expect(received.count == 21)
        let succeeded = received.allSatisfy { $0.1 }
        #expect(succeeded)
        #expect(received.first?.0 == 0)  // the one that was running first is answered first
        #expect(Set(received.map(\.0)) == Set(0...20))  // each request answered exactly once
        let counts = gated.counts.withLock { $0 }
        #expect(counts.loads == 21)
        #expect(counts.maxInFlight == 1)
        running.cancel()
        _ = try? await running.value
    }

    @Test func aRequestAfterShutdownIsRefusedAtOnce() async throws {
        let gated = GatedReloads()
        let running = Task { try await gated.reloader.run() }
        running.cancel()
        _ = try? await running.value
        let replies = Replies()
        gated.reloader.requestReload(reply: replies.reply(0))
        let received = try await replies.waitFor(1)
        #expect(received.first?.1 == false)
        #expect(gated.counts.withLock { $0.loads } == 0)
    }

    // MARK: - POST /-/reload through the endpoint

    /// Runs `body` with an endpoint whose reload route queues at `gated`'s running reloader.
    private func withEndpoint(_ gated: GatedReloads, _ body: (InProcessEndpoint) async throws -> Void) async throws {
        let endpoint = try InProcessEndpoint(metrics: gated.metrics, reload: { gated.reloader.requestReload(reply: $0) })
        let running = Task { try await gated.reloader.run() }
        defer { running.cancel() }
        do {
            try await body(endpoint)
        } catch {
            gated.release()
            throw error
        }
    }

    @Test func aScrapeIsAnsweredWhileAReloadIsStillReadingItsFiles() async throws {
        let gated = GatedReloads()
        try await withEndpoint(gated) { endpoint in
            let reloading = try await endpoint.connect()
            try await reloading.send("POST /-/reload HTTP/1.1\r\nHost: t\r\n\r\n")
            await gated.firstLoadEntered()
            await reloading.channel.testingEventLoop.run()
            let early = try await reloading.channel.readOutbound(as: IOData.self)
            #expect(early == nil)  // still waiting for the reloader

            let scraping = try await endpoint.connect()
            let scrape = try await scraping.request("GET", "/metrics")
            #expect(scrape.status == 200)
            #expect(scrape.text.contains("databrain_exporter_config_last_reload_successful"))

            gated.release()
            let reload = try await reloading.response()
            #expect(reload.status == 200)
            #expect(reload.text == "configuration reloaded\n")
        }
    }

    @Test func aRejectedReloadAnswers500WithTheReason() async throws {
        let gated = GatedReloads(failing: true)
        gated.release()
        try await withEndpoint(gated) { endpoint in
            let client = try await endpoint.connect()
            let rejected = try await client.request("PUT", "/-/reload")
            #expect(rejected.status == 500)
            #expect(rejected.text == "failed to reload configuration: config.yml:3 targets[0].url: must start with http:// or https://\n")
            #expect(try await client.request("GET", "/-/reload").status == 405)
        }
    }
}
