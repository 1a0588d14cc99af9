/// The clock polling and the request budget read and sleep on: the system's continuous clock in
/// the exporter, a clock the test moves in tests (as ``RenderedRegistry`` takes its `now`). One
/// owner, handed to every poller and budget by ``PollerFactory``.
public protocol PollClock: Sendable {
    var now: ContinuousClock.Instant { get }
    /// Returns at `deadline`, or throws `CancellationError` when the task is cancelled first.
    func sleep(until deadline: ContinuousClock.Instant) async throws
}

extension PollClock {
    /// Sleeps for `duration` from now.
    func sleep(for duration: Duration) async throws {
        try await sleep(until: now + duration)
    }
}

/// The system's continuous clock.
public struct SystemPollClock: PollClock {
    public init() {}
    public var now: ContinuousClock.Instant { .now }
    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await Task.sleep(until: deadline, clock: .continuous)
    }
}
