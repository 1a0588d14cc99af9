import Testing
@testable import DatabrainExporter

@Suite struct PollScheduleTests {
    private let rateLimited = PollFailure.api(APIError.classify(status: 429, body: []), retryAfter: nil)
    private let serverError = PollFailure.api(APIError.classify(status: 500, body: []), retryAfter: nil)
    private let authFailure = PollFailure.api(APIError.classify(status: 401, body: []), retryAfter: nil)

    @Test func normalCadenceIsTheIntervalWithinFivePercent() {
        var schedule = PollSchedule(interval: .seconds(60))
        #expect(schedule.delay(after: nil, random: { 0 }) == .seconds(57))
        #expect(schedule.delay(after: nil, random: { 0.5 }) == .seconds(60))
        #expect(schedule.delay(after: authFailure, random: { 0.5 }) == .seconds(60))  // auth: keep polling to see the rotation
    }

    @Test func backoffDoublesUpToTenIntervalsThenResetsOnSuccess() {
        var schedule = PollSchedule(interval: .seconds(10))
        let delays = (0..<6).map { _ in schedule.delay(after: serverError, random: { 0.5 }) }
        #expect(delays == [.seconds(20), .seconds(40), .seconds(80), .seconds(100), .seconds(100), .seconds(100)])
        #expect(schedule.delay(after: nil, random: { 0.5 }) == .seconds(10))
        #expect(schedule.delay(after: rateLimited, random: { 0.5 }) == .seconds(20))
    }

    @Test func backoffCapIsTenMinutesForLongIntervals() {
        var schedule = PollSchedule(interval: .seconds(300))
        #expect(schedule.backoffCap == .seconds(600))
        _ = schedule.delay(after: serverError, random: { 0.5 })
        #expect(schedule.delay(after: serverError, random: { 0.5 }) == .seconds(600))
        #expect(PollSchedule(interval: .seconds(3600)).backoffCap == .seconds(3600))  // never below the interval
    }

    @Test func retryAfterIsHonouredBeyondTheBackoffButBounded() {
        var schedule = PollSchedule(interval: .seconds(1))
        let asked = PollFailure.api(APIError.classify(status: 429, body: []), retryAfter: .seconds(120))
        #expect(schedule.delay(after: asked, random: { 0.5 }) == .seconds(120))
        let absurd = PollFailure.api(APIError.classify(status: 429, body: []), retryAfter: .seconds(86400 * 365))
        #expect(schedule.delay(after: absurd, random: { 0.5 }) == PollSchedule.retryAfterCap)
    }
}
