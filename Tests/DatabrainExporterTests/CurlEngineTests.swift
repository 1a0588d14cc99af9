import Testing
@testable import DatabrainExporter

/// The multi engine with real sockets: transfers wait without threads, leave at once when their
/// task is cancelled, time out on their own deadline, and all stop at shutdown.
@Suite struct CurlEngineTests {
    private let settings = CurlClientSettings(userAgent: "databrain_exporter-test")

    private func request(_ url: String, timeout: Duration = .seconds(60)) -> HTTPRequest {
        HTTPRequest(url: url + "/api/v2/datasource", headers: ["Authorization: Bearer opaque"], timeout: timeout, maxBodyBytes: 1 << 20)
    }

    @Test func aCancelledTransferLeavesTheEngineAtOnce() async throws {
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let silent = try SilentListener()
        let client = CurlClient(engine: engine, settings: settings)
        let task = Task { await client.get(request(silent.url)) }
        try await waitUntil("the transfer to be in flight") { engine.transfersInFlight == 1 }
        task.cancel()
        guard case .failure(let failure) = await task.value else { Issue.record("a silent server gave a response"); return }
        #expect(failure.detail == "cancelled")
        #expect(engine.transfersInFlight == 0, "the engine removes the transfer before resuming its task")
    }

    @Test func hundredsOfHangingTransfersAreAllInFlightAtOnceAndShutdownEndsThem() async throws {
        let engine = CurlEngine()
        let silent = try SilentListener()
        let client = CurlClient(engine: engine, settings: settings)
        let count = 300
        let outcomes = Task {
            await withTaskGroup(of: String?.self) { group in
                for _ in 0..<count {
                    group.addTask {
                        guard case .failure(let failure) = await client.get(request(silent.url)) else { return nil }
                        return failure.detail
                    }
                }
                return await group.reduce(into: [String?]()) { $0.append($1) }
            }
        }
        // All at once: none waits for a thread another one holds.
        try await waitUntil("\(count) transfers in flight") { engine.transfersInFlight == count }
        engine.shutdown()
        let details = await outcomes.value
        #expect(details.count == count)
        #expect(details.allSatisfy { $0 == "cancelled" })
        #expect(engine.transfersInFlight == 0)
    }

    @Test func eachTransferTimesOutOnItsOwnDeadline() async throws {
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let silent = try SilentListener()
        let client = CurlClient(engine: engine, settings: settings)
        let long = Task { await client.get(request(silent.url, timeout: .seconds(60))) }
        try await waitUntil("the long transfer to be in flight") { engine.transfersInFlight == 1 }
        guard case .failure(let failure) = await client.get(request(silent.url, timeout: .milliseconds(200))) else {
            Issue.record("a silent server gave a response"); return
        }
        #expect(failure.reason == .timeout)
        #expect(engine.transfersInFlight == 1, "the other transfer keeps its own, longer deadline")
        long.cancel()
        _ = await long.value
    }

    @Test func aRequestAfterShutdownFailsAtOnce() async throws {
        let engine = CurlEngine()
        engine.shutdown()
        let silent = try SilentListener()
        guard case .failure(let failure) = await CurlClient(engine: engine, settings: settings).get(request(silent.url)) else {
            Issue.record("a request after shutdown gave a response"); return
        }
        #expect(failure.detail == "cancelled")
    }
}
