import Dispatch
import FoundationEssentials
import NIOCore
import NIOPosix
import Testing
@testable import DatabrainExporter

/// Basic auth's cache and bound: one bcrypt per distinct (user, hash, password), shared by the
/// requests that arrive while it runs, a fixed cost for unknown users, and a flood turned away
/// instead of queued.
@Suite struct BasicAuthenticatorTests {
    /// bcrypt (cost 10) of "s3cret-pa55".
    static let hash = "$2b$10$VH29F12StHdxo1htQRLLMOvVPFKy315byYo77U0enainSMDGtiuJ."
    let users = ["prometheus": Self.hash]

    private func credentials(_ user: String, _ password: String) -> BasicAuthCredentials {
        BasicAuthCredentials(header: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())!
    }

    /// A one-thread pool and one event loop, shut down after `body`.
    private func withPool(_ body: (NIOThreadPool, any EventLoop) async throws -> Void) async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            try await body(pool, group.next())
        } catch {
            try await pool.shutdownGracefully()
            try await group.shutdownGracefully()
            throw error
        }
        try await pool.shutdownGracefully()
        try await group.shutdownGracefully()
    }

    @Test func aCheckedPasswordIsAnsweredFromTheCacheAfterwards() async throws {
        try await withPool { (pool: NIOThreadPool, loop: any EventLoop) async throws in
            let authenticator = BasicAuthenticator(threadPool: pool)
            let right = credentials("prometheus", "s3cret-pa55"), wrong = credentials("prometheus", "wrong")
            #expect(try await authenticator.authenticate(right, users: users, on: loop).get() == .allowed)
            #expect(try await authenticator.authenticate(wrong, users: users, on: loop).get() == .denied)
            #expect(authenticator.cachedEntries == 2)
            // Answered without the pool: with it blocked, a cached answer still comes at once.
            let gate = DispatchSemaphore(value: 0)
            let blocker = pool.runIfActive(eventLoop: loop) { gate.wait() }
            #expect(try await authenticator.authenticate(right, users: users, on: loop).get() == .allowed)
            #expect(try await authenticator.authenticate(wrong, users: users, on: loop).get() == .denied)
            gate.signal()
            try await blocker.get()
        }
    }

    @Test func aChangedHashMissesTheCache() async throws {
        try await withPool { (pool: NIOThreadPool, loop: any EventLoop) async throws in
            let authenticator = BasicAuthenticator(threadPool: pool)
            let right = credentials("prometheus", "s3cret-pa55")
            #expect(try await authenticator.authenticate(right, users: users, on: loop).get() == .allowed)
            #expect(try await authenticator.authenticate(right, users: ["prometheus": BasicAuthenticator.dummyHash], on: loop).get() == .denied)
        }
    }

    @Test func unknownUsersAreCheckedAgainstTheFixedCost10DummyAndNeverLetIn() async throws {
        #expect(BasicAuthenticator.dummyHash.hasPrefix("$2y$10$") && BcryptHash.isWellFormed(BasicAuthenticator.dummyHash))
        #expect(BcryptHash.matches(password: "fakepassword", hash: BasicAuthenticator.dummyHash))
        try await withPool { (pool: NIOThreadPool, loop: any EventLoop) async throws in
            let authenticator = BasicAuthenticator(threadPool: pool)
            #expect(try await authenticator.authenticate(credentials("nobody", "fakepassword"), users: users, on: loop).get() == .denied)
        }
    }

    @Test func concurrentIdenticalChecksShareOneAndDistinctOnesPastTheBoundAreBusy() async throws {
        try await withPool { (pool: NIOThreadPool, loop: any EventLoop) async throws in
            let authenticator = BasicAuthenticator(threadPool: pool, maxPending: 1)
            let gate = DispatchSemaphore(value: 0)
            let blocker = pool.runIfActive(eventLoop: loop) { gate.wait() }  // the one bcrypt thread is busy
            let right = credentials("prometheus", "s3cret-pa55")
            let first = authenticator.authenticate(right, users: users, on: loop)
            let same = authenticator.authenticate(right, users: users, on: loop)
            #expect(try await authenticator.authenticate(credentials("prometheus", "guess"), users: users, on: loop).get() == .busy)
            gate.signal()
            try await blocker.get()
            #expect(try await first.get() == .allowed)
            #expect(try await same.get() == .allowed)
            #expect(authenticator.cachedEntries == 1, "two requests, one check")
            #expect(try await authenticator.authenticate(credentials("prometheus", "guess"), users: users, on: loop).get() == .denied, "the slot came back")
        }
    }

    @Test func theCacheStaysWithinItsCapacity() async throws {
        try await withPool { (pool: NIOThreadPool, loop: any EventLoop) async throws in
            let authenticator = BasicAuthenticator(threadPool: pool, capacity: 5)
            for index in 0..<12 {
                _ = try await authenticator.authenticate(credentials("ghost", "guess-\(index)"), users: users, on: loop).get()
            }
            #expect(authenticator.cachedEntries <= 5)
        }
    }
}
