import Locking

/// Databrain's `/health/live` and `/health/ready` describe the instance, not the organisation:
/// one round of probes per instance serves every target on it. A target asks for a round no
/// older than nine tenths of its interval; a younger one (or one still in flight) is shared, an
/// older one is probed again. Since a target's polls are at least 95 % of its interval apart, no
/// target is handed the same round twice, so its probe counters still count each round once.
/// 1,000 targets on one instance make one round an interval, not 1,000.
public final class HealthProbeCache: Sendable {
    private struct Round {
        let started: ContinuousClock.Instant
        let probes: Task<[HealthProber.Probe], Never>
    }

    private let rounds = Locked<[String: Round]>([:])
    private let clock: any PollClock

    public init(clock: any PollClock = SystemPollClock()) {
        self.clock = clock
    }

    /// The share of a target's interval a round stays fresh for it.
    static let freshness = 0.9

    /// The probes of `prober`'s instance (as reached with `tls`, which can change the answer), made
    /// through `transport` unless a fresh round exists. A cancelled caller returns at once with
    /// no probes; the round goes on for the others.
    func probes(_ prober: HealthProber, tls: String, interval: Duration, transport: any HTTPTransport) async -> [HealthProber.Probe] {
        let key = prober.url(.live) + "\u{0}" + tls
        let now = clock.now
        let round: Task<[HealthProber.Probe], Never> = rounds.withLock { rounds in
            if let round = rounds[key], round.started.duration(to: now) < interval * Self.freshness { return round.probes }
            let probes = Task { await prober.probe(transport: transport) }
            rounds[key] = Round(started: now, probes: probes)
            return probes
        }
        return await Self.value(of: round)
    }

    /// `round`'s value, or nothing as soon as the calling task is cancelled (a shared round is not
    /// the caller's to cancel, and a reload must not wait for a hanging probe).
    private static func value(of round: Task<[HealthProber.Probe], Never>) async -> [HealthProber.Probe] {
        let waiter = Waiter()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard waiter.wait(continuation) else { return }
                Task { waiter.finish(await round.value) }
            }
        } onCancel: {
            waiter.finish([])
        }
    }

    /// One caller's wait: resumed once, by the round or by the caller's cancellation, whichever
    /// comes first (cancellation may come before the wait begins).
    private final class Waiter: Sendable {
        private let state = Locked<(continuation: CheckedContinuation<[HealthProber.Probe], Never>?, done: Bool)>((nil, false))

        /// Registers the wait; false (and resumed at once, empty) when the caller was cancelled already.
        func wait(_ continuation: CheckedContinuation<[HealthProber.Probe], Never>) -> Bool {
            let cancelled = state.withLock { state in
                if state.done { return true }
                state.continuation = continuation
                return false
            }
            if cancelled { continuation.resume(returning: []) }
            return !cancelled
        }

        func finish(_ probes: [HealthProber.Probe]) {
            let continuation = state.withLock { state -> CheckedContinuation<[HealthProber.Probe], Never>? in
                defer { state = (nil, true) }
                return state.done ? nil : state.continuation
            }
            continuation?.resume(returning: probes)
        }
    }
}
