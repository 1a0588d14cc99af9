import NIOCore

/// When a connection that is waiting for a request head must be closed, in the spirit of Go's
/// `ReadHeaderTimeout` and `IdleTimeout`, with one deadline:
/// - a new connection's first request head must be complete within `readHeaderTimeout`; bytes
///   trickling in one at a time do not extend it;
/// - after a response, the next request head must be complete within `idleTimeout`.
/// While a request is being answered neither applies (a large response to a slow reader is the
/// scrape limiter's business).
///
/// A value, driven by ``ConnectionTimeouts`` with the event loop's clock, so its rules are tested
/// without a socket or a real clock. The timer is lazy, as Go's deadlines are: a request only
/// records the time, and a timer that fires early asks to be re-armed for what is left
/// (scheduling and cancelling a timer per request cost measurable throughput on small scrapes).
struct RequestHeadDeadline {
    /// What the handler must do after an event.
    enum Action: Equatable {
        case none
        /// Schedule the (single) timer for this instant.
        case armTimer(NIODeadline)
        /// Close the connection: the head did not arrive in time.
        case close
    }

    let readHeaderTimeout: TimeAmount
    let idleTimeout: TimeAmount
    /// When the connection started waiting for a request head, and for how long it may; nil while
    /// a request is being answered.
    private var waiting: (since: NIODeadline, limit: TimeAmount)?
    private var timerArmed = false

    init(readHeaderTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.readHeaderTimeout = readHeaderTimeout
        self.idleTimeout = idleTimeout
    }

    /// The connection is open: its first head must arrive within `readHeaderTimeout`.
    mutating func connectionOpened(at now: NIODeadline) -> Action {
        wait(within: readHeaderTimeout, from: now)
    }

    /// A complete request head arrived: no deadline while it is answered.
    mutating func requestHeadArrived() {
        waiting = nil
    }

    /// A response was written to its end: the next head must arrive within `idleTimeout`.
    mutating func responseEnded(at now: NIODeadline) -> Action {
        wait(within: idleTimeout, from: now)
    }

    /// The timer fired: close if the deadline passed while waiting, else re-arm for what is left.
    mutating func timerFired(at now: NIODeadline) -> Action {
        timerArmed = false
        guard let waiting else { return .none }  // a request is being answered; its end re-arms
        let deadline = waiting.since + waiting.limit
        if now >= deadline { return .close }
        timerArmed = true
        return .armTimer(deadline)
    }

    /// The connection closed or the handler went away: there is no timer any more.
    mutating func stopped() {
        timerArmed = false
        waiting = nil
    }

    private mutating func wait(within limit: TimeAmount, from now: NIODeadline) -> Action {
        waiting = (now, limit)
        guard !timerArmed else { return .none }
        timerArmed = true
        return .armTimer(now + limit)
    }
}
