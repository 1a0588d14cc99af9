import Testing
@testable import DatabrainExporter

@Suite struct APIErrorTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func documentedAuthenticationErrorIsReadFromTheBody() {
        let error = APIError.classify(status: 401, body: bytes(#"{"error":{"code":"AUTHENTICATION_ERROR","message":"Invalid token","status":401}}"#))
        #expect(error.kind == .authentication)
        #expect(error.code == "AUTHENTICATION_ERROR")
        #expect(error.summary == "HTTP 401 AUTHENTICATION_ERROR: Invalid token")
    }

    @Test func statusDecidesEvenWhenTheBodyDisagreesOrIsMissing() {
        #expect(APIError.classify(status: 401, body: []).kind == .authentication)
        #expect(APIError.classify(status: 401, body: bytes(#"{"error":{"code":"AUTHENTICATION_ERR","message":"x"}}"#)).code == "AUTHENTICATION_ERR")
        #expect(APIError.classify(status: 500, body: bytes("<html>Bad gateway</html>")).kind == .server)
        #expect(APIError.classify(status: 503, body: bytes("")).kind == .server)
        #expect(APIError.classify(status: 400, body: bytes(#"{"error":{"code":"INVALID_REQUEST_BODY"}}"#)).kind == .badRequest)
        #expect(APIError.classify(status: 404, body: []).kind == .other)
    }

    @Test func onlyRateLimitsAndServerErrorsBackOff() {
        #expect(APIError.classify(status: 429, body: []).callsForBackoff)
        #expect(APIError.classify(status: 502, body: []).callsForBackoff)
        #expect(!APIError.classify(status: 401, body: []).callsForBackoff)
        #expect(!APIError.classify(status: 400, body: []).callsForBackoff)
    }

    @Test func upstreamMessagesBecomeOneBoundedLine() {
        let long = String(repeating: "x", count: 500)
        let error = APIError.classify(status: 500, body: bytes(#"{"error":{"code":"INTERNAL_SERVER_ERROR","message":"line1\nline2 \#(long)"}}"#))
        #expect(error.message?.contains("\n") == false)
        #expect((error.message?.count ?? 0) <= 201)
    }
}
