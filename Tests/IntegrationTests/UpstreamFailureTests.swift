import Foundation
import Testing

/// Upstream failures that must land under the right reason, keep the last list, and leak nothing.
@Suite struct UpstreamFailureTests {
    @Test func aSameOriginRedirectIsFollowed() async throws {
        let simulator = try await Simulator(datasources: 3)
        try await simulator.fault("kind=redirect&status=307&count=1&location=\("/api/v2/datasource?isPagination=false".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        let exporter = try await Exporter(simulator: simulator)
        let metrics = try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        #expect(metrics.value("databrain_datasources", ["target": "sim"]) == 3)
        #expect(metrics.value("databrain_api_requests_total", ["target": "sim", "endpoint": "datasource", "code": "307"]) == 1)
        try await exporter.stopAndCheckSecrets()
    }

    @Test func aRedirectToAnotherOriginIsRefusedAndTheTokenNeverSentThere() async throws {
        let simulator = try await Simulator(datasources: 3)
        let elsewhere = try await Simulator(datasources: 1)
        let target = "\(elsewhere.baseURL)/api/v2/datasource".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        try await simulator.fault("kind=redirect&status=302&location=\(target)")
        let exporter = try await Exporter(simulator: simulator)
        let metrics = try await exporter.waitFor("a refused redirect") {
            $0.value("databrain_api_request_failures_total", ["target": "sim", "endpoint": "datasource", "reason": "redirect"]) ?? 0 >= 2
        }
        #expect(metrics.value("databrain_up", ["target": "sim"]) == 0)
        let received = try await elsewhere.stats()
        #expect(received.received == 0, "the other origin got \(received.received) requests")
        #expect(exporter.process.stderr.contains("not followed"))
        try await exporter.stopAndCheckSecrets()
    }

    @Test func aBodyOverTheCapIsTooLargeAndTheListIsKept() async throws {
        let simulator = try await Simulator(datasources: 3)
        let exporter = try await Exporter(simulator: simulator, extra: ["--databrain.max-body-bytes", "2048"])
        try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        try await simulator.setDatasourceCount(500)  // ~13 KB of JSON
        let metrics = try await exporter.waitFor("too_large") {
            $0.value("databrain_api_request_failures_total", ["target": "sim", "endpoint": "datasource", "reason": "too_large"]) ?? 0 >= 1
        }
        #expect(metrics.value("databrain_datasources", ["target": "sim"]) == 3)
        #expect(metrics.value("databrain_up", ["target": "sim"]) == 0)
        try await exporter.stopAndCheckSecrets()
    }

    @Test func aRefusedConnectionCountsAsConnect() async throws {
        let closedPort = try FreePort.pick()  // nothing listens there once pick() returns
        let exporter = try await Exporter(unreachable: "http://127.0.0.1:\(closedPort)", target: "closed")
        let metrics = try await exporter.waitFor("a connect failure") {
            $0.value("databrain_api_request_failures_total", ["target": "closed", "endpoint": "datasource", "reason": "connect"]) ?? 0 >= 1
        }
        #expect(metrics.value("databrain_up", ["target": "closed"]) == 0)
        #expect(metrics.all("databrain_datasources").isEmpty)  // never succeeded: no count at all
        try await exporter.stopAndCheckSecrets()
    }

    @Test func jsonLogsAreOneObjectPerLine() async throws {
        let simulator = try await Simulator()
        let exporter = try await Exporter(simulator: simulator, extra: ["--log.format", "json"])
        try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        try await exporter.stopAndCheckSecrets()
        let lines = exporter.process.stderr.split(separator: "\n")
        #expect(lines.count >= 3)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["msg"] is String && object?["level"] is String && object?["ts"] is String, "\(line)")
        }
    }
}
