import NIOCore
import NIOPosix
import Locking

/// Basic auth as exporter-toolkit does it, and bounded: a check costs one bcrypt per distinct
/// (user, hash, password), not one per scrape; requests that arrive while the same check is
/// running wait for it instead of starting another (300 scrapers at once cost one bcrypt); an
/// unknown user costs a fixed cost-10 bcrypt whatever the configured hashes cost; and past
/// ``maxPending`` distinct checks in flight a request is turned away at once (503) instead of
/// queueing for minutes behind the bcrypt thread.
final class BasicAuthenticator: Sendable {
    /// What a request's credentials come to.
    enum Outcome: Sendable, Equatable {
        case allowed
        case denied
        /// Too many distinct checks are in flight: answer 503 now.
        case busy
    }

    /// exporter-toolkit's fixed hash for unknown users ("fakepassword" at cost 10), so the time an
    /// unknown user takes never depends on which hashes the file holds.
    static let dummyHash = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi"

    /// Answers kept (exporter-toolkit keeps 100; a tenth is dropped at random when full).
    let capacity: Int
    /// Distinct bcrypt checks in flight at once before ``Outcome/busy``.
    let maxPending: Int
    private let threadPool: NIOThreadPool
    private let state = Locked<(cache: [CacheKey: Bool], inFlight: [CacheKey: EventLoopFuture<Bool>])>(([:], [:]))

    init(threadPool: NIOThreadPool, capacity: Int = 100, maxPending: Int = 16) {
        self.threadPool = threadPool
        self.capacity = capacity
        self.maxPending = maxPending
    }

    /// The outcome for these credentials, on `eventLoop`: at once from the cache, else after the
    /// one bcrypt check for them (run on the thread pool, never on an event loop).
    func authenticate(_ credentials: BasicAuthCredentials, users: [String: String], on eventLoop: any EventLoop) -> EventLoopFuture<Outcome> {
        let known = users[credentials.user] != nil
        let hash = users[credentials.user] ?? Self.dummyHash
        let key = CacheKey(credentials, hash: hash)
        enum Step { case cached(Bool), join(EventLoopFuture<Bool>), busy, start }
        let step: Step = state.withLock { state in
            if let allowed = state.cache[key] { return .cached(allowed) }
            if let running = state.inFlight[key] { return .join(running) }
            return state.inFlight.count >= maxPending ? .busy : .start
        }
        let check: EventLoopFuture<Bool>
        switch step {
        case .cached(let allowed): return eventLoop.makeSucceededFuture(allowed ? .allowed : .denied)
        case .busy: return eventLoop.makeSucceededFuture(.busy)
        case .join(let running): check = running
        case .start:
            let password = credentials.password
            check = threadPool.runIfActive(eventLoop: eventLoop) { BcryptHash.matches(password: password, hash: hash) && known }
            let registered: EventLoopFuture<Bool> = state.withLock { state in
                if let running = state.inFlight[key] { return running }  // another request started it meanwhile
                state.inFlight[key] = check
                return check
            }
            if registered === check {
                check.whenComplete { [self] result in
                    state.withLock { state in
                        state.inFlight[key] = nil
                        if case .success(let allowed) = result { remember(key, allowed, in: &state.cache) }
                    }
                }
            }
        }
        return check.hop(to: eventLoop).map { $0 ? .allowed : .denied }.recover { _ in .denied }
    }

    /// How many answers are cached now.
    var cachedEntries: Int { state.withLock { $0.cache.count } }

    private func remember(_ key: CacheKey, _ allowed: Bool, in cache: inout [CacheKey: Bool]) {
        if cache.count >= capacity {
            for _ in 0..<max(cache.count / 10, 1) {
                if let victim = cache.keys.randomElement() { cache[victim] = nil }
            }
        }
        cache[key] = allowed
    }
}

/// A cache key that holds no password: the user, the configured hash (so a changed password in the
/// web config misses the cache) and a 128-bit keyed digest of the password. The digest is
/// SipHash with the process's random seed, so it cannot be precomputed or compared across processes.
struct CacheKey: Hashable, Sendable {
    let user: String
    let hash: String
    let digest: (UInt64, UInt64)

    init(_ credentials: BasicAuthCredentials, hash: String) {
        user = credentials.user
        self.hash = hash
        digest = (Self.siphash(credentials.password, domain: 1), Self.siphash(credentials.password, domain: 2))
    }

    private static func siphash(_ password: String, domain: UInt8) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(domain)
        hasher.combine(password)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    static func == (lhs: CacheKey, rhs: CacheKey) -> Bool {
        lhs.user == rhs.user && lhs.hash == rhs.hash && lhs.digest == rhs.digest
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(user)
        hasher.combine(digest.0)
    }
}
