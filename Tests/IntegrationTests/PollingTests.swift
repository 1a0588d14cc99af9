import Foundation
import Testing

/// The real exporter binary polling the simulator, observed through `/metrics`.
@Suite struct PollingTests {
    @Test(arguments: [0, 3])
    func countsDatasourcesInOneRequest(count: Int) async throws {
        let simulator = try await Simulator(datasources: count)
        let exporter = try await Exporter(simulator: simulator)
        let metrics = try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        #expect(metrics.value("databrain_datasources", ["target": "sim"]) == Double(count))
        #expect(metrics.all("databrain_datasource_info").count == count)
        #expect(metrics.value("databrain_api_requests_total", ["target": "sim", "endpoint": "datasource", "code": "200"]) ?? 0 >= 1)
        #expect(metrics.value("databrain_last_success_timestamp_seconds", ["target": "sim"]) ?? 0 > 1_700_000_000)
        try await exporter.stopAndCheckSecrets()
    }

    @Test func theConnectionIsKeptAliveAcrossPagesAndPolls() async throws {
        let simulator = try await Simulator(datasources: 25)
        let exporter = try await Exporter(simulator: simulator, extra: ["--databrain.paginate"])
        let metrics = try await exporter.waitFor("three polls") { $0.value("databrain_polls_total", ["target": "sim"]) ?? 0 >= 3 }
        // Pagination itself is covered in-process (DatasourceFetcherTests); here the simulator's 3 pages arrive whole.
        #expect(metrics.value("databrain_datasources", ["target": "sim"]) == 25)
        #expect(metrics.value("databrain_api_connections_opened_total", ["target": "sim"]) == 1)
        #expect(try await simulator.stats().apiConnections == 1)
        try await exporter.stopAndCheckSecrets()
    }

    @Test func aRemovedDatasourceDisappearsAndCountsAsRemoved() async throws {
        let simulator = try await Simulator(names: ["production-postgres", "analytics-snowflake", "warehouse-bigquery"])
        let exporter = try await Exporter(simulator: simulator)
        try await exporter.waitFor("the first poll") { $0.all("databrain_datasource_info").count == 3 }
        try await simulator.setDatasources(["production-postgres", "warehouse-bigquery"])
        let metrics = try await exporter.waitFor("the removal") { $0.all("databrain_datasource_info").count == 2 }
        #expect(!metrics.all("databrain_datasource_info").contains { $0["datasource"] == "analytics-snowflake" })
        #expect(metrics.value("databrain_datasource_changes_total", ["target": "sim", "change": "removed"]) == 1)
        #expect(metrics.value("databrain_datasource_changes_total", ["target": "sim", "change": "added"]) == 0)
        #expect(metrics.value("databrain_datasources", ["target": "sim"]) == 2)
        try await exporter.stopAndCheckSecrets()
    }

    @Test func unauthorisedDropsUpButKeepsTheLastList() async throws {
        let simulator = try await Simulator(datasources: 3)
        let exporter = try await Exporter(simulator: simulator)
        try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        try await simulator.fault("kind=status&status=401")
        let metrics = try await exporter.waitFor("a 401") { $0.value("databrain_api_requests_total", ["target": "sim", "endpoint": "datasource", "code": "401"]) ?? 0 >= 1 }
        #expect(metrics.value("databrain_up", ["target": "sim"]) == 0)
        #expect(metrics.all("databrain_datasource_info").count == 3)
        #expect(metrics.value("databrain_datasources", ["target": "sim"]) == 3)
        #expect(metrics.value("databrain_poll_failures_total", ["target": "sim"]) ?? 0 >= 1)
        // One log line for the state change, not one per failed poll.
        try await exporter.waitFor("several failed polls") { $0.value("databrain_poll_failures_total", ["target": "sim"]) ?? 0 >= 3 }
        let warnings = exporter.process.stderr.split(separator: "\n").filter { $0.contains("level=warn") && $0.contains("AUTHENTICATION_ERROR") }
        #expect(warnings.count == 1, "\(warnings)")
        try await exporter.stopAndCheckSecrets()
    }

    @Test func aHangingAPICountsAsTimeoutAndThePollerCarriesOn() async throws {
        let simulator = try await Simulator(datasources: 3)
        let exporter = try await Exporter(simulator: simulator)
        try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        try await simulator.fault("kind=hang&count=1")
        let metrics = try await exporter.waitFor("a timeout") { $0.value("databrain_api_request_failures_total", ["target": "sim", "endpoint": "datasource", "reason": "timeout"]) ?? 0 >= 1 }
        #expect(metrics.all("databrain_datasource_info").count == 3)
        try await exporter.waitFor("recovery after the hang") {
            $0.value("databrain_up", ["target": "sim"]) == 1 && ($0.value("databrain_polls_total", ["target": "sim"]) ?? 0) > (metrics.value("databrain_polls_total", ["target": "sim"]) ?? 0)
        }
        try await exporter.stopAndCheckSecrets()
    }

    @Test func aRotatedTokenFileRecoversFrom401WithoutARestart() async throws {
        let simulator = try await Simulator(datasources: 3)
        let tokenFile = try TokenFile(simulator.token)
        let exporter = try await Exporter(simulator: simulator, tokenFile: tokenFile)
        try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        let rotated = "rotated-\(UUID().uuidString)"
        try await simulator.rotateToken(to: rotated)
        try await exporter.waitFor("the old token's 401") { $0.value("databrain_up", ["target": "sim"]) == 0 }
        try tokenFile.write(rotated)
        try await exporter.waitFor("recovery with the new token") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        #expect(!exporter.process.stderr.contains(rotated) && !exporter.process.stdout.contains(rotated))
        try await exporter.stopAndCheckSecrets()
    }

    /// Databrain's documented rotation, with the secret left as it was: the old token works
    /// through the grace period, then answers `EXPIRED_SERVICE_TOKEN`, at 400 or 401 depending
    /// on the version. Either way the last poll's reason is `credentials` (what
    /// `DatabrainAuthFailing` reads), the log names the code once, the list is kept, and
    /// updating the secret recovers without a restart.
    @Test(arguments: [400, 401])
    func aRotationWhoseSecretWasNotUpdatedIsACredentialFailure(expiredStatus: Int) async throws {
        let simulator = try await Simulator(datasources: 3)
        let tokenFile = try TokenFile(simulator.token)
        let exporter = try await Exporter(simulator: simulator, tokenFile: tokenFile)
        try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        let rotated = "rotated-\(UUID().uuidString)"
        let authorizedBefore = try await simulator.stats().authorized
        try await simulator.rotateToken(to: rotated, graceSeconds: 3, expiredStatus: expiredStatus)
        let expired = try await exporter.waitFor("the old token to expire") {
            $0.value("databrain_last_poll_failure", ["target": "sim", "reason": "credentials"]) == 1
        }
        let stats = try await simulator.stats()
        #expect(stats.authorized > authorizedBefore, "the old token kept working through the grace period")
        #expect(stats.expiredToken >= 1)
        #expect(expired.value("databrain_up", ["target": "sim"]) == 0)
        #expect(expired.value("databrain_api_auth_errors_total", ["target": "sim", "endpoint": "datasource"]) ?? 0 >= 1)
        #expect(expired.value("databrain_api_requests_total", ["target": "sim", "endpoint": "datasource", "code": String(expiredStatus)]) ?? 0 >= 1)
        #expect(expired.all("databrain_datasource_info").count == 3, "the last list is kept")
        try await exporter.waitFor("several failed polls") { $0.value("databrain_poll_failures_total", ["target": "sim"]) ?? 0 >= 3 }
        // One line for the target, saying what to do; the collectors' lines point at it instead
        // of suggesting they be turned off.
        let lines = exporter.process.stderr.split(separator: "\n").filter { $0.contains("level=warn") && $0.contains("EXPIRED_SERVICE_TOKEN") }
        let pollLines = lines.filter { $0.contains("poll failed") }
        #expect(pollLines.count == 1 && pollLines.allSatisfy { $0.contains("write the current token to \(tokenFile.path)") }, "\(pollLines)")
        #expect(lines.count == 4 && lines.allSatisfy { !$0.contains("--no-collector") }, "\(lines)")
        try tokenFile.write(rotated)
        let recovered = try await exporter.waitFor("recovery with the new token") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        #expect(recovered.value("databrain_last_poll_failure", ["target": "sim", "reason": "credentials"]) == 0)
        #expect(!exporter.process.stderr.contains(rotated) && !exporter.process.stdout.contains(rotated))
        try await exporter.stopAndCheckSecrets()
    }

    @Test func aRateLimitIsCountedAndItsRetryAfterHonouredNotPlainBackoff() async throws {
        let simulator = try await Simulator(datasources: 3)
        let exporter = try await Exporter(simulator: simulator)
        try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        let origin = "http://127.0.0.1:\(simulator.baseURL.split(separator: ":").last!)"
        // One 429 saying "come back in 30 s". Plain backoff would wait 0.6 s (at most 3 s, ten
        // intervals): only honouring Retry-After puts the pause 30 s ahead.
        // Measured from when the fault is set, not from each scrape: a loaded machine may scrape late.
        let faultSet = Date().timeIntervalSince1970
        try await simulator.fault("kind=rate_limit&count=1&retry_after=30")
        let limited = try await exporter.waitFor("the 429, and the pause it announced") {
            ($0.value("databrain_api_requests_total", ["target": "sim", "endpoint": "datasource", "code": "429"]) ?? 0) >= 1
                && ($0.value("databrain_api_rate_limited_until_timestamp_seconds", ["origin": origin]) ?? 0) > faultSet + 25
        }
        #expect(limited.value("databrain_up", ["target": "sim"]) == 0)
        #expect(limited.value("databrain_poll_failures_total", ["target": "sim"]) == 1)
        // The poll ended at the 429 (the rest would only wait out the pause). Past the longest plain
        // backoff (3 s), nothing has reached the API: the target waits for Retry-After.
        let seen = try await simulator.stats().received
        try await eventually("4 s past the 429, when plain backoff would have polled again", timeout: .seconds(30)) {
            Date().timeIntervalSince1970 > faultSet + 4 ? true : nil
        }
        #expect(try await simulator.stats().received == seen, "a request went out before Retry-After")
        try await exporter.stopAndCheckSecrets()
    }
}
