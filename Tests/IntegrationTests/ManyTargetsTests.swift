import Foundation
import Testing

/// Hundreds of targets in one exporter (as uid 65532): a hanging API costs sockets, not threads,
/// a healthy organisation keeps being polled beside hundreds of hanging ones, and SIGTERM with
/// every one of those transfers in flight exits 0.
@Suite struct ManyTargetsTests {
    @Test func twoHundredHangingTargetsLeaveThreadsFlatAndTheHealthyOnePolling() async throws {
        let hanging = try await Simulator(datasources: 2)
        try await hanging.fault("kind=hang")
        let healthy = try await Simulator(datasources: 2)
        let hangingToken = try TokenFile(hanging.token)
        // Hanging targets wait 30 s for an answer that never comes; the healthy one polls every 300 ms.
        var file = "targets:\n"
        for index in 1...200 {
            file += "  - name: hang-\(index)\n    url: \(hanging.baseURL)\n    token_file: \(hangingToken.path)\n    interval: 1m\n    timeout: 30s\n    health: false\n"
        }
        file += "  - name: healthy\n    url: \(healthy.baseURL)\n    token_file: \(try TokenFile(healthy.token).path)\n    interval: 300ms\n    timeout: 250ms\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("many-\(UUID().uuidString).yml").path
        try Data(file.utf8).write(to: URL(fileURLWithPath: path))
        let exporter = try await Exporter(arguments: ["--config.file", path, "--log.level", "info"] + Exporter.unthrottled, secrets: [hanging.token, healthy.token])

        // Every hanging target's request has reached the API and waits there.
        try await eventually("200 requests hanging at the API", timeout: .seconds(60)) {
            try await hanging.stats().requests(.datasource) >= 200 ? true : nil
        }
        let threads = try Self.threads(of: exporter.process.pid)
        print("ManyTargetsTests: \(threads) exporter threads with 200 transfers hanging")
        #expect(threads <= 16, "\(threads) threads with 200 transfers hanging: a transfer in flight must not hold a thread")

        // The healthy organisation keeps being polled while all 200 hang.
        let before = try await exporter.scrape().value("databrain_polls_total", ["target": "healthy"]) ?? 0
        let after = try await exporter.waitFor("the healthy target to poll 10 more times") {
            ($0.value("databrain_polls_total", ["target": "healthy"]) ?? 0) >= before + 10
        }
        #expect(after.value("databrain_up", ["target": "healthy"]) == 1)
        #expect(try await hanging.stats().requests(.datasource) <= 400, "no hanging target polls before its timeout")

        // SIGTERM with 200 transfers in flight: exits 0 (stopAndCheckSecrets checks the status).
        try await exporter.stopAndCheckSecrets()
    }

    /// The `Threads:` line of `/proc/PID/status`.
    static func threads(of pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Threads:") }),
              let count = Int(line.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) else {
            throw HarnessError("no Threads: line in /proc/\(pid)/status")
        }
        return count
    }
}
