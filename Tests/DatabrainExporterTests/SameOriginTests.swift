import Testing
@testable import DatabrainExporter

@Suite struct SameOriginTests {
    @Test func sameSchemeHostAndPortMatch() {
        #expect(SameOrigin.matches("https://api.example.com/a", "https://API.example.com:443/b?x=1"))
        #expect(SameOrigin.matches("http://127.0.0.1:8080/a", "http://127.0.0.1:8080/other"))
    }

    @Test func anyDifferenceRefusesTheToken() {
        #expect(!SameOrigin.matches("https://api.example.com/", "https://evil.example.com/"))
        #expect(!SameOrigin.matches("https://api.example.com/", "http://api.example.com/"))
        #expect(!SameOrigin.matches("http://127.0.0.1:8080/", "http://127.0.0.1:8081/"))
        #expect(!SameOrigin.matches("https://api.example.com/", "not a url"))
    }
}
