import FoundationEssentials
import Testing
@testable import DatabrainExporter

@Suite struct TokenSourceTests {
    private func file(_ contents: String) throws -> String {
        try TemporaryFile.write(contents, name: "token")
    }

    @Test func trailingNewlinesAreTrimmedAndTheShapeIsNotChecked() throws {
        #expect(try TokenSource.file(try file("not-a-uuid at all\n")).read().get() == "not-a-uuid at all")
        #expect(try TokenSource.file(try file("  dbn_live_abc\r\n")).read().get() == "dbn_live_abc")
    }

    @Test func problemsNameTheFileButNeverTheToken() throws {
        guard case .failure(let missing) = TokenSource.file("/nonexistent/tok").read() else { Issue.record("read a missing file"); return }
        #expect(missing.summary.contains("/nonexistent/tok"))
        guard case .failure(let empty) = TokenSource.file(try file("\n")).read() else { Issue.record("accepted an empty file"); return }
        #expect(empty.summary.contains("is empty"))
        guard case .failure(let twoLines) = TokenSource.file(try file("secret-one\nsecret-two\n")).read() else { Issue.record("accepted two lines"); return }
        #expect(!twoLines.summary.contains("secret"))
    }
}
