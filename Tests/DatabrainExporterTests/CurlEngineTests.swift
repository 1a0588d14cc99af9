import Synchronization
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

    /// The last moment a pause can hold a request: its connection is open, nothing is written
    /// yet. `mayStart` says yes when the engine takes the request and no once the connection is
    /// ready: the server gets a connection and not one byte, and the caller learns it was held.
    @Test func aRequestHeldBackAtTheWireWritesNothing() async throws {
        let engine = CurlEngine()
        let listener = try SilentListener()
        let asked = Atomic(0)
        var held = request(listener.url, timeout: .seconds(5))
        held.mayStart = { asked.add(1, ordering: .relaxed).newValue == 1 }
        let outcome = await CurlClient(engine: engine, settings: settings).get(held)
        engine.shutdown()  // closes every connection, so the listener reads to the end
        guard case .failure(let failure) = outcome else { Issue.record("a held request got a response"); return }
        #expect(failure.heldBack, "\(failure.detail)")
        #expect(asked.load(ordering: .relaxed) == 2, "asked when taken, and again at the wire")
        #expect(try listener.bytesOfWaitingConnection() == 0, "the connection carried no request")
    }

    /// The control: the same request allowed at the wire does write to the same kind of listener.
    @Test func aRequestAllowedAtTheWireWritesItsRequest() async throws {
        let engine = CurlEngine()
        let listener = try SilentListener()
        var allowed = request(listener.url, timeout: .milliseconds(300))
        allowed.mayStart = { true }
        let outcome = await CurlClient(engine: engine, settings: settings).get(allowed)
        engine.shutdown()
        guard case .failure(let failure) = outcome else { Issue.record("a silent server gave a response"); return }
        #expect(!failure.heldBack && failure.reason == .timeout)
        #expect(try listener.bytesOfWaitingConnection() ?? 0 > 0, "the request reached the socket")
    }

    /// A request that is held when the engine takes it opens no connection at all.
    @Test func aRequestHeldWhenTakenOpensNoConnection() async throws {
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let listener = try SilentListener()
        var held = request(listener.url)
        held.mayStart = { false }
        guard case .failure(let failure) = await CurlClient(engine: engine, settings: settings).get(held) else {
            Issue.record("a held request got a response"); return
        }
        #expect(failure.heldBack)
        #expect(try listener.bytesOfWaitingConnection() == nil, "no connection was opened")
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
