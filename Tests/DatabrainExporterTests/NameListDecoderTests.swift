import Testing
@testable import DatabrainExporter

@Suite struct NameListDecoderTests {
    private func decode(_ text: String) -> Result<[String], DecodeFailure> {
        NameListDecoder.decode(Array(text.utf8))
    }

    @Test func documentedShape() throws {
        let names = try decode(#"{"data":[{"name":"production-postgres"},{"name":"analytics-snowflake"}],"error":null}"#).get()
        #expect(names == ["production-postgres", "analytics-snowflake"])
        #expect(try decode(#"{"data":[]}"#).get() == [])
    }

    @Test func extraFieldsAreIgnored() throws {
        #expect(try decode(#"{"data":[{"name":"a","type":"postgres"}],"meta":{}}"#).get() == ["a"])
    }

    @Test func unicodeAndEscapesSurvive() throws {
        #expect(try decode(#"{"data":[{"name":"q\"b\\n\nemoji 🧠"},{"name":""}]}"#).get() == ["q\"b\\n\nemoji 🧠", ""])
    }

    @Test(arguments: [
        #"{"data":{"name":"a"}}"#, #"{"data":[{"title":"a"}]}"#, #"{"data":[{"name":5}]}"#,
        #"{"data":null}"#, #"{"error":{"code":"X"}}"#, "<html>maintenance</html>", #"{"data":[{"name":"tru"#, "",
    ])
    func wrongShapesFailAsAWhole(body: String) {
        guard case .failure(let failure) = decode(body) else {
            Issue.record("accepted \(body)")
            return
        }
        #expect(failure.message.contains(#"{"data":[{"name":"..."}]}"#))
    }
}
