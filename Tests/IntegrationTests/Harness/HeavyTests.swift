/// Lets one heavy test (100,000 datasources, 1,000 connections, a 4 GiB body) run at a time.
///
/// Swift Testing runs every test in parallel; on 2 cores, several heavy ones together starve the
/// rest and turn deadlines into flakes. The others still run alongside the one heavy test.
actor HeavyTests {
    static let gate = HeavyTests()
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` when no other heavy test is running.
    static func exclusively<T>(_ body: () async throws -> T) async throws -> T {
        await gate.acquire()
        do {
            let result = try await body()
            await gate.release()
            return result
        } catch {
            await gate.release()
            throw error
        }
    }

    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}
