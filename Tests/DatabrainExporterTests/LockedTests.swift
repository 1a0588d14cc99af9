#if canImport(Glibc)
import Glibc
#endif
import FoundationEssentials
import Locking
import Synchronization
import Testing

/// The project's lock, and the evidence that ThreadSanitizer sees it.
///
/// `scripts/test --sanitize=thread` runs this suite with `DATABRAIN_SANITIZER=thread`, and then
/// the two planted races with `DATABRAIN_TSAN_CANARY` set, where it expects a report from each: a
/// sanitizer that reports nothing because it is not there, or because it cannot see what it
/// checks, would look exactly like a clean run.
@Suite struct LockedTests {
    private static let environment = ProcessInfo.processInfo.environment

    /// Four threads count to 40,000 through the lock, contending as the bare-Mutex canary does: no
    /// update is lost, and under ThreadSanitizer the run ends without a report, which is what the
    /// annotations are for.
    @Test func updatesFromTwoThreadsAreNeverLost() {
        let counter = Counter()
        let lock = Locked(0)
        onThreads(4) {
            for _ in 0..<10_000 {
                lock.withLock { $0 += 1 }
                lock.withLock { _ in counter.plain += 1 }  // a plain field, ordered only by the lock
            }
        }
        #expect(lock.withLock { $0 } == 40_000)
        #expect(lock.withLock { _ in counter.plain } == 40_000)
    }

    @Test func aThrowingBodyLeavesTheLockUsable() {
        struct Refused: Error {}
        let lock = Locked([1])
        #expect(throws: Refused.self) { try lock.withLock { (_: inout [Int]) throws(Refused) in throw Refused() } }
        #expect(lock.withLock { $0.append(2); return $0 } == [1, 2])
    }

    /// In the sanitized build the hooks must have been found, or the annotations do nothing.
    @Test(.enabled(if: environment["DATABRAIN_SANITIZER"] == "thread"))
    func theSanitizedBuildFindsThreadSanitizersHooks() {
        #expect(ThreadSanitizerHooks.isActive)
    }

    @Test(.enabled(if: environment["DATABRAIN_SANITIZER"] == nil))
    func theShippedBuildCallsNoHooks() {
        #expect(!ThreadSanitizerHooks.isActive)
    }

    // MARK: - Planted races: each must be reported (scripts/test --sanitize=thread checks it)

    /// A field written from two threads with nothing ordering them: the race TSan exists for.
    @Test(.enabled(if: environment["DATABRAIN_TSAN_CANARY"] == "unsynchronized"))
    func plantedUnsynchronizedRace() {
        let counter = Counter()
        onThreads(4) { for _ in 0..<10_000 { counter.plain += 1 } }
    }

    /// The same field behind Synchronization's bare `Mutex`: correct, yet reported, because TSan
    /// does not see the futex wake-up that hands a contended lock over (the uncontended path is an
    /// atomic it does see). That report is why the project locks with `Locked`. Four threads
    /// contend for the lock so the futex path is taken.
    @Test(.enabled(if: environment["DATABRAIN_TSAN_CANARY"] == "bare-mutex"))
    func plantedBareMutex() {
        let counter = Counter()
        let mutex = Mutex(())
        onThreads(4) { for _ in 0..<50_000 { mutex.withLock { _ in counter.plain += 1 } } }
    }

    // MARK: -

    private final class Counter: @unchecked Sendable {
        var plain = 0
    }

    /// Runs `body` on `count` POSIX threads and joins them (pthread_join orders what they did
    /// before what follows, for ThreadSanitizer too).
    private func onThreads(_ count: Int, _ body: @escaping @Sendable () -> Void) {
        final class Box { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
        var threads: [pthread_t] = []
        for _ in 0..<count {
            var thread = pthread_t()
            let box = Unmanaged.passRetained(Box(body)).toOpaque()
            let created = pthread_create(&thread, nil, { argument in
                let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
                box.body()
                return nil
            }, box)
            precondition(created == 0, "pthread_create: \(created)")
            threads.append(thread)
        }
        for thread in threads { pthread_join(thread, nil) }
    }
}
