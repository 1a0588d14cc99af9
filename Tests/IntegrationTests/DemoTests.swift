import Foundation
import Testing

/// `scripts/demo` as a newcomer runs it: it starts the simulator, the exporter, a real Prometheus
/// with the shipped rules and a real Alertmanager with the shipped configuration; Prometheus
/// scrapes the exporter, the printed "revoke the token" one-liner makes the auth alert reach
/// Alertmanager unmuted, and Ctrl-C stops all four.
@Suite(.enabled(if: PrometheusServer.shouldRun && AlertmanagerServer.shouldRun,
                "prometheus or prometheus-alertmanager is not installed (scripts/install-deps installs them)"))
struct DemoTests {
    @Test func theDemoRunsTheLoopAndCtrlCStopsEverything() async throws {
        let prometheusPort = try FreePort.pick()
        let alertmanagerPort = try FreePort.pick()
        // Started as a terminal starts it: SIGINT at its default disposition (ChildProcess resets
        // every signal), so the script's trap sees Ctrl-C.
        let demo = try ManagedProcess(name: "demo", executable: RepositoryFiles.url("scripts/demo").path, arguments: [], environment: [
            "DEMO_BIN": BuildProducts.directory, "DEMO_LISTEN": "127.0.0.1:0", "DEMO_PROMETHEUS_LISTEN": "127.0.0.1:\(prometheusPort)",
            "DEMO_ALERTMANAGER_LISTEN": "127.0.0.1:\(alertmanagerPort)",
        ])
        do {
            try await runTheLoop(demo, prometheusPort: prometheusPort, alertmanagerPort: alertmanagerPort)
        } catch {
            // The demo's own trap stops what it started; a SIGKILL of the script would orphan them.
            demo.signal(SIGTERM)
            _ = try? await demo.waitForExit(timeout: .seconds(30))
            throw error
        }
    }

    private func runTheLoop(_ demo: ManagedProcess, prometheusPort: Int, alertmanagerPort: Int) async throws {
        let exporter = try await demo.waitForOutput(#"Metrics:\s+http://(127\.0\.0\.1:\d+)/metrics"#, timeout: .seconds(120))
        let simulator = try await demo.waitForOutput(#"'(http://127\.0\.0\.1:\d+)/_sim/token'"#)
        _ = try await demo.waitForOutput("Ctrl-C stops everything")
        #expect(demo.stdout.contains("http://127.0.0.1:\(prometheusPort)/alerts"))

        // Prometheus reports the exporter's target as up.
        let query = "http://127.0.0.1:\(prometheusPort)/api/v1/query?query=" + #"up{job="databrain"}"#.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
        try await eventually("Prometheus to scrape the exporter", timeout: .seconds(60)) {
            let reply = try? await HTTP.get(query)
            return reply?.body.contains(#""value":["#) == true && reply?.body.contains(#","1"]"#) == true ? true : nil
        }

        // The printed inventory one-liners, run as printed: the embed alert names the embed, and the
        // datamart built on the removed datasource is named as missing it.
        for label in ["remove an embed", "remove orders-mart's datasource"] {
            let line = try await demo.waitForOutput(#"\#(label)\s+(curl -X DELETE '[^']+')"#)
            let url = String(line.dropFirst("curl -X DELETE '".count).dropLast())
            #expect(url.hasPrefix(simulator))
            let reply = try await HTTP.request("DELETE", url)
            #expect(reply.status == 200, "\(line): \(reply.body)")
        }
        let alerts = "http://127.0.0.1:\(prometheusPort)/api/v1/alerts"
        try await eventually("DatabrainEmbedDisappeared and DatabrainDatamartDatasourceMissing firing in the demo's Prometheus",
                             timeout: .seconds(90)) { () -> Bool? in
            guard let body = try? await HTTP.get(alerts).body else { return nil }
            let firing = body.contains(#""alertname":"DatabrainEmbedDisappeared""#) && body.contains(#""embed_id":"churn-tile-07""#)
                && body.contains(#""alertname":"DatabrainDatamartDatasourceMissing""#) && body.contains(#""datamart":"orders-mart""#)
            return firing && body.components(separatedBy: #""state":"firing""#).count >= 3 ? true : nil
        }

        // The printed rotation one-liner, run as printed: the old token works through the grace
        // period, then expires (400 EXPIRED_SERVICE_TOKEN), and the auth alert reaches Alertmanager.
        let rotate = try await demo.waitForOutput(#"rotate, secret not updated\s+(curl [^\n]+)"#)
        #expect(rotate == "curl -X PUT --data rotated-token '\(simulator)/_sim/token?grace_s=10'")
        let rotateURL = String(rotate.split(separator: "'")[1])
        #expect(try await HTTP.request("PUT", rotateURL, body: "rotated-token").status == 200)
        try await eventually("DatabrainAuthFailing active in the demo's Alertmanager", timeout: .seconds(90)) {
            let reply = try? await HTTP.get("http://127.0.0.1:\(alertmanagerPort)/api/v2/alerts?filter=alertname%3D%22DatabrainAuthFailing%22")
            return reply?.body.contains(#""state":"active""#) == true ? true : nil
        }
        // The printed fix, run as printed: the exporter reads the new secret at its next poll.
        let fix = try await demo.waitForOutput(#"update the secret as the exporter reads it: (printf [^)]+)\)"#)
        let shell = try ManagedProcess(name: "fix", executable: "/bin/sh", arguments: ["-c", fix], asServiceUser: false)
        #expect(try await shell.waitForExit() == 0, "\(fix): \(shell.stderr)")
        try await eventually("the exporter up again with the rotated token", timeout: .seconds(30)) {
            (try? await HTTP.get("http://\(exporter)/metrics"))?.body.contains(#"databrain_up{target="demo"} 1"#) == true ? true : nil
        }

        demo.signal(SIGINT)
        #expect(try await demo.waitForExit(timeout: .seconds(30)) == 130)
        #expect(demo.stderr.contains("demo: stopped the simulator, the exporter, Prometheus and Alertmanager"))
        for address in [exporter, "127.0.0.1:\(prometheusPort)", "127.0.0.1:\(alertmanagerPort)", String(simulator.dropFirst("http://".count))] {
            let port = Int(address.split(separator: ":").last!)!
            #expect(!Self.listening(port), "\(address) is still listening after Ctrl-C")
        }
    }

    private static func listening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
