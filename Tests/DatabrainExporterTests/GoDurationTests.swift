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
    }
}
