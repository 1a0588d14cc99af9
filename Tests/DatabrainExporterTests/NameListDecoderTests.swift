import Testing
@testable import DatabrainExporter

@Suite struct NameListDecoderTests {
    private func decode(_ text: String) -> Result<[String], DecodeFailure> {
        NameListDecoder.decode(Array(text.utf8)).map(\.items)
    }

    private func page(_ text: String) throws -> ListPage<String> {
        try NameListDecoder.decode(Array(text.utf8)).get()
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

    /// `"data": null` is an organisation without objects, on every list (README, "Decoding").
    @Test func nullDataIsAnEmptyPage() throws {
        let empty = try page(#"{"data":null,"error":null}"#)
        #expect(empty.items.isEmpty && empty.skipped == 0 && empty.received == 0)
    }

    /// One item without its identity is skipped and counted; the rest of the page is used, and
    /// pagination still sees how many items the page held.
    @Test(arguments: [
        #"{"name":null}"#, #"{"title":"a"}"#, #"{"name":5}"#, #"[]"#, #""a""#, "null",
    ])
    func anItemWithoutItsNameIsSkipped(item: String) throws {
        let decoded = try page(#"{"data":[{"name":"a"},\#(item),{"name":"b"}]}"#)
        #expect(decoded.items == ["a", "b"])
        #expect(decoded.skipped == 1)
        #expect(decoded.received == 3)
    }

    @Test(arguments: [
        #"{"data":{"name":"a"}}"#, #"{"data":[{"title":"a"}]}"#, #"{"data":[{"name":5},{"name":null}]}"#,
        #"{"error":{"code":"X"}}"#, #"{"data":[],"error":{"code":"X"}}"#, "<html>maintenance</html>", #"{"data":[{"name":"tru"#, "",
    ])
    func wrongShapesFailAsAWhole(body: String) {
        guard case .failure(let failure) = decode(body) else {
            Issue.record("accepted \(body)")
            return
        }
        #expect(failure.message.contains(#"{"data":[{"name":"..."}]}"#))
    }
}
