import Testing
@testable import DatabrainExporter

@Suite struct GoDurationTests {
    @Test(arguments: [
        ("30s", Duration.seconds(30)), ("1m30s", .seconds(90)), ("1.5h", .seconds(5400)),
        ("250ms", .milliseconds(250)), ("2h45m", .seconds(9900)), ("0", .zero), ("1m0s", .seconds(60)),
    ])
    func parsesGoDurations(text: String, expected: Duration) throws {
        #expect(try GoDuration.parse(text) == expected)
    }

    @Test(arguments: ["", "10", "abc", "-5s", "5x", "1m30", "s", "1.2.3s"])
    func rejectsInvalidDurationsNamingTheInput(text: String) {
        #expect(throws: ConfigError.self) { try GoDuration.parse(text) }
        do {
            _ = try GoDuration.parse(text)
        } catch {
            #expect(error.message.contains("\"\(text)\""))
            #expect(error.message.contains("30s"))
        }
    }

    @Test func formatsLikeGo() {
        #expect(GoDuration.format(.seconds(90)) == "1m30s")
        #expect(GoDuration.format(.milliseconds(500)) == "500ms")
        #expect(GoDuration.format(.seconds(3600)) == "1h")
        #expect(GoDuration.format(.milliseconds(1500)) == "1.5s")
        // Found by the go-duration fuzz target: sub-millisecond parts were dropped.
        #expect(GoDuration.format(.nanoseconds(8_000_001_000)) == "8.000001s")
        #expect(GoDuration.format(.nanoseconds(1_500)) == "1.5µs")
        #expect(GoDuration.format(.nanoseconds(42)) == "42ns")
        #expect(GoDuration.format(.nanoseconds(3_600_000_000_001)) == "1h0m0.000000001s")
        for text in ["00s01µs08s", "8.000001s", "1h0.5ms", "999us", "1.25ms"] {
            let duration = try! GoDuration.parse(text)
            #expect(try! GoDuration.parse(GoDuration.format(duration)) == duration, "\(text)")
        }
    }
}
