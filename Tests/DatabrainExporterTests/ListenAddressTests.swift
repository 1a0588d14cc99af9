import Testing
@testable import DatabrainExporter

@Suite struct ListenAddressTests {
    @Test func acceptsTheToolkitForms() throws {
        #expect(try ListenAddress.parse(":7987") == ListenAddress(host: "0.0.0.0", port: 7987))
        #expect(try ListenAddress.parse("127.0.0.1:0") == ListenAddress(host: "127.0.0.1", port: 0))
        #expect(try ListenAddress.parse("[::1]:9000") == ListenAddress(host: "::1", port: 9000))
        #expect(try ListenAddress.parse("localhost:80").host == "localhost")
    }

    @Test(arguments: ["7987", "host:", "host:99999", "::1:80", "[::1:80", ":-1", "a:b"])
    func rejectsMalformedAddresses(text: String) {
        #expect(throws: ConfigError.self) { try ListenAddress.parse(text) }
    }
}
