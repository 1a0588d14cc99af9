import Foundation
import Testing

/// Databrain's own health endpoints as metrics: the exporter against the simulator while checks go
/// DOWN, disappear, the endpoints 404, hang or return junk, and the datasource poll never suffers.
@Suite struct HealthTests {
    private func checkStatus(_ metrics: Exposition, _ check: String, _ status: String) -> Double? {
        metrics.value("databrain_health_check_status", ["target": "sim", "check": check, "status": status])
    }

    private func failures(_ metrics: Exposition, _ endpoint: String, _ reason: String) -> Double {
        metrics.value("databrain_health_probe_failures_total", ["target": "sim", "endpoint": endpoint, "reason": reason]) ?? -1
    }

    @Test func theMetricsFollowEachChangeAndThePollIsUnaffected() async throws {
        let simulator = try await Simulator(datasources: 3)
        let exporter = try await Exporter(simulator: simulator)
        // A scrape may fall between the ready gauge and the check series of the first poll's
        // record: wait until the whole record shows (the checks' series exist), then judge it.
        var metrics = try await exporter.waitFor("live and ready, with their checks") {
            $0.value("databrain_health_live", ["target": "sim"]) == 1 && $0.value("databrain_health_ready", ["target": "sim"]) == 1
                && $0.value("databrain_health_check_status", ["target": "sim", "check": "keycloak", "status": "UP"]) != nil
        }
        #expect(checkStatus(metrics, "hasura", "UP") == 1 && checkStatus(metrics, "hasura", "DOWN") == 0 && checkStatus(metrics, "hasura", "UNKNOWN") == 0)
        #expect(checkStatus(metrics, "keycloak", "UP") == 1)
        for endpoint in ["live", "ready"] {
            for reason in ["timeout", "connect", "dns", "tls", "too_large", "decode", "redirect", "network"] {
                #expect(failures(metrics, endpoint, reason) == 0, "\(endpoint)/\(reason) pre-initialised")
            }
            #expect(metrics.value("databrain_health_probe_duration_seconds", ["target": "sim", "endpoint": endpoint]) != nil)
        }

        // Hasura goes down: ready drops with a normal 503 answer, its check says DOWN.
        try await simulator.healthCheck("hasura", "DOWN")
        metrics = try await exporter.waitFor("hasura DOWN") { checkStatus($0, "hasura", "DOWN") == 1 }
        #expect(metrics.value("databrain_health_ready", ["target": "sim"]) == 0)
        #expect(metrics.value("databrain_health_live", ["target": "sim"]) == 1)
        #expect(checkStatus(metrics, "hasura", "UP") == 0 && checkStatus(metrics, "keycloak", "UP") == 1)
        #expect(failures(metrics, "ready", "decode") == 0, "a 503 with a valid body is an answer, not a failure")
        #expect(metrics.value("databrain_up", ["target": "sim"]) == 1)
        let landing = try await HTTP.get(exporter.baseURL + "/").body
        #expect(landing.contains("not ready</span>: hasura: DOWN"), "the landing page names the failing check")

        // Keycloak leaves the answer: its series go.
        try await simulator.healthCheck("hasura", "UP")
        try await simulator.healthCheck("keycloak", "absent")
        metrics = try await exporter.waitFor("keycloak gone and ready") {
            checkStatus($0, "keycloak", "UP") == nil && $0.value("databrain_health_ready", ["target": "sim"]) == 1
        }
        #expect(metrics.all("databrain_health_check_status").allSatisfy { $0["check"] == "hasura" })

        // An installation without health endpoints: 404 counts as decode, live and ready are 0.
        try await simulator.healthMode("404")
        metrics = try await exporter.waitFor("404s counted") { failures($0, "live", "decode") >= 1 && failures($0, "ready", "decode") >= 1 }
        #expect(metrics.value("databrain_health_live", ["target": "sim"]) == 0)
        #expect(metrics.all("databrain_health_check_status").isEmpty, "no answer, no checks passed off as current")

        // Junk.
        try await simulator.healthMode("junk")
        let before = failures(metrics, "ready", "decode")
        metrics = try await exporter.waitFor("junk counted") { failures($0, "ready", "decode") > before }

        // A hang: the probes time out, and the datasource poll goes on (its count follows the API).
        try await simulator.healthMode("hang")
        try await simulator.setDatasources(["a", "b", "c", "d"])
        metrics = try await exporter.waitFor("timeouts and the poll still current") {
            failures($0, "live", "timeout") >= 1 && $0.value("databrain_datasources", ["target": "sim"]) == 4
        }
        #expect(metrics.value("databrain_up", ["target": "sim"]) == 1)

        try await simulator.healthMode("normal")
        try await exporter.waitFor("recovered") { $0.value("databrain_health_ready", ["target": "sim"]) == 1 }
        #expect(try await simulator.stats().healthWithAuthorization == 0, "the token is never sent to the health endpoints")
        #expect(try await simulator.stats().healthRequests > 0)
        try await exporter.stopAndCheckSecrets()
    }

    @Test func aPathPrefixIsHonouredAndHealthCanBeTurnedOff() async throws {
        let simulator = try await Simulator(healthPathPrefix: "/api")
        let prefixed = try await Exporter(simulator: simulator, extra: ["--databrain.health-path-prefix", "/api"])
        try await prefixed.waitFor("ready under /api") { $0.value("databrain_health_ready", ["target": "sim"]) == 1 }
        try await prefixed.stopAndCheckSecrets()

        let off = try await Exporter(simulator: simulator, extra: ["--no-databrain.health"])
        let metrics = try await off.waitFor("a poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        #expect(!metrics.text.contains("databrain_health_"), "with health off, no health series exist")
        try await off.stopAndCheckSecrets()
    }
}
