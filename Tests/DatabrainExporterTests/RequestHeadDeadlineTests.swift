import NIOCore
import Testing
@testable import DatabrainExporter

/// The slowloris rules as a value: which timer to arm, and when to close.
@Suite struct RequestHeadDeadlineTests {
    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    private func at(_ seconds: Int64) -> NIODeadline { start + .seconds(seconds) }
    private func deadline() -> RequestHeadDeadline { RequestHeadDeadline(readHeaderTimeout: .seconds(10), idleTimeout: .seconds(300)) }

    @Test func aNewConnectionGetsTheReadHeaderTimeoutAndClosesWhenItPasses() {
        var deadline = deadline()
        #expect(deadline.connectionOpened(at: at(0)) == .armTimer(at(10)))
        #expect(deadline.timerFired(at: at(10)) == .close)
    }

    @Test func oneLazyTimerServesManyRequests() {
        var deadline = deadline()
        #expect(deadline.connectionOpened(at: at(0)) == .armTimer(at(10)))
        deadline.requestHeadArrived()
        #expect(deadline.responseEnded(at: at(1)) == .none, "the armed timer is reused, not rescheduled")
        deadline.requestHeadArrived()
        #expect(deadline.responseEnded(at: at(2)) == .none)
        // The old timer fires early: it re-arms for what is left of the idle timeout.
        #expect(deadline.timerFired(at: at(10)) == .armTimer(at(302)))
        #expect(deadline.timerFired(at: at(302)) == .close)
    }

    @Test func whileARequestIsAnsweredTheTimerDoesNothingAndTheEndRearmsIt() {
        var deadline = deadline()
        _ = deadline.connectionOpened(at: at(0))
        deadline.requestHeadArrived()
        #expect(deadline.timerFired(at: at(10)) == .none)
        #expect(deadline.responseEnded(at: at(500)) == .armTimer(at(800)))
    }

    @Test func aStoppedConnectionArmsAFreshTimerIfReused() {
        var deadline = deadline()
        _ = deadline.connectionOpened(at: at(0))
        deadline.stopped()
        #expect(deadline.connectionOpened(at: at(50)) == .armTimer(at(60)))
    }
}
