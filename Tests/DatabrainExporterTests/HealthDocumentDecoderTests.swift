import Testing
@testable import DatabrainExporter

/// Databrain's documented health answers, and everything else that must count as a failed probe.
@Suite struct HealthDocumentDecoderTests {
    private func decode(_ endpoint: HealthEndpoint, _ status: Int, _ body: String) -> Result<HealthAnswer, DecodeFailure> {
        HealthDocumentDecoder.decode(endpoint: endpoint, status: status, body: Array(body.utf8))
    }

    @Test func documentedAnswers() throws {
        #expect(try decode(.live, 200, #"{"status":"live"}"#).get() == HealthAnswer(healthy: true, checks: [:]))
        let ready = try decode(.ready, 200, #"{"status":"ready","checks":{"hasura":{"status":"UP","statusCode":200}}}"#).get()
        #expect(ready == HealthAnswer(healthy: true, checks: ["hasura": .up]))
        let notReady = try decode(.ready, 503, #"{"status":"not_ready","checks":{"hasura":{"status":"DOWN","error":"x"},"keycloak":{"status":"UNKNOWN"}}}"#).get()
        #expect(notReady == HealthAnswer(healthy: false, checks: ["hasura": .down, "keycloak": .unknown]))
    }

    @Test func anUnknownStateWordIsUnknownAndChecksMayBeMissing() throws {
        #expect(try decode(.ready, 503, #"{"status":"not_ready","checks":{"x":{"status":"DEGRADED"}}}"#).get().checks == ["x": .unknown])
        #expect(try decode(.ready, 200, #"{"status":"ready"}"#).get() == HealthAnswer(healthy: true, checks: [:]))
    }

    @Test func otherStatusesAndBodiesAreFailures() {
        #expect(throws: DecodeFailure.self) { try decode(.live, 404, #"{"error":{}}"#).get() }
        #expect(throws: DecodeFailure.self) { try decode(.live, 503, #"{"status":"live"}"#).get() }
        #expect(throws: DecodeFailure.self) { try decode(.ready, 200, "<html>maintenance</html>").get() }
        #expect(throws: DecodeFailure.self) { try decode(.ready, 200, "").get() }
        #expect(throws: DecodeFailure.self) { try decode(.ready, 500, #"{"status":"not_ready"}"#).get() }
    }

    @Test func aLiveAnswerThatIsNotLiveIsUnhealthy() throws {
        #expect(try decode(.live, 200, #"{"status":"starting"}"#).get().healthy == false)
    }

    @Test func theProbeURLsCarryThePrefix() {
        let prober = HealthProber(baseURL: "https://db.example.com/", pathPrefix: "/api/", timeout: .seconds(1), maxBodyBytes: 1024)
        #expect(prober.url(.ready) == "https://db.example.com/api/health/ready")
        #expect(HealthProber(baseURL: "https://db.example.com", pathPrefix: "", timeout: .seconds(1), maxBodyBytes: 1024).url(.live) == "https://db.example.com/health/live")
    }
}
