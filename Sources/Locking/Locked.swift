import Synchronization

/// A value behind a lock that ThreadSanitizer can see: the project's one lock type.
///
/// Synchronization's `Mutex` locks through futexes on Linux, which ThreadSanitizer does not
/// model. In a TSan build, two critical sections of one `Mutex` then look unordered: every access
/// under it is reported as a race, and a real race looks exactly the same, so TSan's silence would
/// prove nothing. `Locked` takes the same `Mutex` and tells ThreadSanitizer what it orders, as the
/// Swift runtime does for tasks: an acquire just after taking the lock, a release just before
/// giving it back. In a build without ThreadSanitizer the hooks are absent and nothing is called.
public final class Locked<Value>: Sendable {
    private let mutex: Mutex<Value>

    /// A lock around `value`.
    public init(_ value: sending Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with exclusive access to the value.
    public func withLock<Result, Failure: Error>(_ body: (inout sending Value) throws(Failure) -> sending Result) throws(Failure) -> sending Result {
        try mutex.withLock { (value: inout sending Value) throws(Failure) -> sending Result in
            ThreadSanitizerHooks.acquire(self)
            defer { ThreadSanitizerHooks.release(self) }
            return try body(&value)
        }
    }
}
