import FoundationEssentials
import Testing
@testable import DatabrainExporter

@Suite struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT

    @Test func delaySeconds() {
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        #expect(RetryAfter.parse(" 0 ", now: now) == .zero)
    }

    @Test func httpDateInAllThreeForms() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:51:37 GMT", now: now) == .seconds(120))
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:50:37 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.parse("Sun Nov  6 08:49:47 1994", now: now) == .seconds(10))
    }

    @Test func aDateInThePastMeansNow() {
        #expect(RetryAfter.parse("Sat, 05 Nov 1994 08:49:37 GMT", now: now) == .zero)
    }

    /// Found by the retry-after fuzz target: a 16-digit year overflowed the day arithmetic and
    /// trapped, taking the exporter down with one bad header.
    @Test func anAbsurdYearIsIgnoredNotACrash() {
        #expect(RetryAfter.parse(", 0 Oct 20 07:2:0,,9999902923656999,", now: now) == nil)
        #expect(RetryAfter.parse("Sun, 06 Nov 9999902923656999 08:49:37 GMT", now: now) == nil)
        #expect(RetryAfter.parse("Sun, 06 Nov 9999 08:49:37 GMT", now: now) != nil)
    }

    @Test(arguments: [nil, "", "soon", "-5", "Sun, 99 Foo 1994 08:49:37 GMT", "1.5"])
    func garbageIsIgnored(value: String?) {
        #expect(RetryAfter.parse(value, now: now) == nil)
    }
}
