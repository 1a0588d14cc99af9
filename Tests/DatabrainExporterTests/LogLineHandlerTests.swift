import Testing
@testable import DatabrainExporter

@Suite struct LogLineHandlerTests {
    @Test func logfmtQuotesOnlyWhatNeedsIt() {
        let line = LogLineHandler.logfmt([("level", "info"), ("msg", "poll failed"), ("error", #"HTTP 401 "x""#), ("empty", "")])
        #expect(line == #"level=info msg="poll failed" error="HTTP 401 \"x\"" empty="""#)
    }

    @Test func jsonEscapesControlCharacters() {
        #expect(LogLineHandler.json([("msg", "a\nb\u{1}")]) == #"{"msg":"a\nb\u0001"}"#)
    }
}
