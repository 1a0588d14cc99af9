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
        #expect(metrics.value("databrain_api_requests_total", ["target": "sim", "code": "200"]) ?? 0 >= 1)
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
        #expect(try await simulator.stats()["api_connections"] == 1)
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
        let metrics = try await exporter.waitFor("a 401") { $0.value("databrain_api_requests_total", ["target": "sim", "code": "401"]) ?? 0 >= 1 }
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
        let metrics = try await exporter.waitFor("a timeout") { $0.value("databrain_api_request_failures_total", ["target": "sim", "reason": "timeout"]) ?? 0 >= 1 }
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

    @Test func rateLimitingIsCountedAndBackedOff() async throws {
        let simulator = try await Simulator(datasources: 3)
        let exporter = try await Exporter(simulator: simulator)
        try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        try await simulator.fault("kind=rate_limit&retry_after=2")
        let limited = try await exporter.waitFor("a 429") { $0.value("databrain_api_requests_total", ["target": "sim", "code": "429"]) ?? 0 >= 1 }
        let requestsAtLimit = try await simulator.stats()["requests"] ?? 0
        // Retry-After: 2 against a 300 ms interval: one request per 2 s at most, not one per 300 ms.
        // (A loaded machine may oversleep, so the allowance follows the time that really passed.)
        let started = ContinuousClock.now
        try await Task.sleep(for: .seconds(1))
        let newRequests = (try await simulator.stats()["requests"] ?? 0) - requestsAtLimit
        let allowed = Int((ContinuousClock.now - started) / .seconds(2)) + 1
        #expect(newRequests <= allowed, "\(newRequests) requests while Retry-After allowed \(allowed)")
        #expect(limited.value("databrain_up", ["target": "sim"]) == 0)
        try await simulator.fault("kind=none")
        try await exporter.waitFor("recovery") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        try await exporter.stopAndCheckSecrets()
    }
}
